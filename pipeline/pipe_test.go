//go:build unix

package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"export/input"
)

// A named pipe gives its bytes once, so it is read once and kept: a
// duplicate id past exactIDs in one is reported with its first use, found
// in what was kept (reading the pipe again would wait for a writer
// forever), and nothing hangs.
func TestDuplicatesInAPipe(t *testing.T) {
	defer func(n int) { exactIDs = n }(exactIDs)
	exactIDs = 1
	dir := t.TempDir()
	sources := filepath.Join(dir, "sources.yaml")
	if err := os.WriteFile(sources, []byte("sources:\n  - {id: s, title: S}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(dir, "figures.csv")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("SKIPPED: cannot make a named pipe here: %v", err)
	}
	quote := "As of 30 September 2008, Kazakhstan and South Korea had signed over 60 documents"
	var csv strings.Builder
	csv.WriteString("id,kind,parties,documents,qualifier,as_of,source,quote\n")
	for _, id := range []string{"r1", "r2", "r3", "r2"} {
		csv.WriteString(id + ",agreement_count,KZ;KR,60,over,2008-09-30,s,\"" + quote + "\"\n")
	}
	go func() {
		f, err := os.OpenFile(pipe, os.O_WRONLY, 0) // waits for the reader
		if err != nil {
			return
		}
		f.WriteString(csv.String())
		f.Close()
	}()
	files, _, err := input.Collect([]string{sources, pipe})
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	sum, err := Check(context.Background(), files, c, nil, Config{})
	if err != nil {
		t.Fatal(err)
	}
	got := c.problems()
	if len(got) != 1 || got[0] != pipe+":5:1: r2: id [unique_id]" || sum.Errors != 1 {
		t.Fatalf("problems %q, %d errors; want the duplicate r2", got, sum.Errors)
	}
	msg := c.results[len(c.results)-1].Problems[0].Message
	if want := "id r2 is already used by the record at " + pipe + ":3:1"; !strings.HasPrefix(msg, want) {
		t.Errorf("message %q", msg)
	}
}
