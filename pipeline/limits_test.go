package pipeline

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"time"

	"export/input"
)

// endlessFS holds files that never end (a named pipe fed forever, say):
// each read returns more blank lines, or more of one JSON string.
type endlessFS struct{ filler byte }

func (e endlessFS) Open(name string) (fs.File, error) {
	return &endlessFile{name: name, filler: e.filler}, nil
}

type endlessFile struct {
	name   string
	filler byte
	head   bool
	n      int64
}

func (f *endlessFile) Stat() (fs.FileInfo, error) { return nil, fs.ErrInvalid }
func (f *endlessFile) Close() error               { return nil }
func (f *endlessFile) Read(p []byte) (int, error) {
	i := 0
	if !f.head && f.filler == 'a' {
		i = copy(p, `{"sources": [{"id": "`)
		f.head = true
	}
	for ; i < len(p); i++ {
		p[i] = f.filler
	}
	f.n += int64(len(p))
	return len(p), nil
}

// A file over an input limit ends the run's reading of it: it is not read
// on (not even to hash it), and it is not listed among the inputs. A file
// that never ends is refused at the file size limit, in both passes.
func TestLimitStopsReading(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		filler     byte
		want       string
	}{
		{"file size", "endless.jsonl", '\n', "endless.jsonl: the file is more than 1MiB, over the limit of 1MiB for an input file (--max-file-size); split it into smaller files [limit]"},
		{"value size", "endless.json", 'a', "endless.json:1:21: a text longer than 64KiB, the limit for one value (--max-field-size); no field of a dataset holds that much [limit]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := []input.File{input.FromFS(endlessFS{tc.filler}, tc.file, tc.file)}
			c := &collector{}
			done := make(chan error, 1)
			go func() {
				_, err := Check(context.Background(), files, c, c, Config{Limits: input.Limits{MaxFileBytes: 1 << 20}})
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(time.Minute):
				t.Fatal("Check reads on past the limit")
			}
			var msgs []string
			for _, r := range c.results {
				for _, p := range r.Problems {
					msgs = append(msgs, p.Pos.String()+": "+p.Message+" ["+p.Rule+"]")
				}
			}
			if got := strings.Join(msgs, "\n"); got != tc.want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, tc.want)
			}
			if s := c.summary; s == nil || len(s.Inputs) != 0 || s.Errors != 1 || !s.Failed() {
				t.Errorf("summary %+v; want one error and no input listed", s)
			}
		})
	}
}
