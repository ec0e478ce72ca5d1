package input

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Walking a directory reads no file outside it: a symbolic link that leads
// out (to /proc/self/environ, say, which a report would then print line by
// line), or to a named pipe or a device, is skipped and listed, like any
// other file that is not read. Links that stay inside are read, also when
// the directory itself is named through a link.
func TestCollectLinksLeadingOut(t *testing.T) {
	tmp := t.TempDir()
	d := filepath.Join(tmp, "data")
	writeTree(t, tmp, map[string]string{
		"data/in.yaml":      "records: []\n",
		"data/.a/in.yaml":   "records: []\n",
		"data/.b/in.yaml":   "records: []\n",
		"secret.csv":        "id,kind\n",
		"outside/more.yaml": "",
	}, map[string]string{
		"data/link-in.yaml":   ".a/in.yaml",
		"data/sub/up.yaml":    "../.b/in.yaml",
		"data/out.csv":        "../secret.csv",
		"data/abs.csv":        filepath.Join(tmp, "secret.csv"),
		"data/sub/out2.yaml":  "../../outside/more.yaml",
		"data/environ.csv":    "/proc/self/environ",
		"data/outdir":         "../outside",
		"data/pipe-link.json": "fifo.json",
	})
	mkfifo(t, filepath.Join(d, "fifo.json"))
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(d, link); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{d, link} {
		files, skipped, err := Collect([]string{root})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range files {
			rel, _ := filepath.Rel(root, f.Path)
			got = append(got, filepath.ToSlash(rel))
		}
		if want := []string{"in.yaml", "link-in.yaml", "sub/up.yaml"}; !slices.Equal(got, want) {
			t.Errorf("%s: read %q; want %q", root, got, want)
		}
		got = nil
		for _, s := range skipped {
			rel, _ := filepath.Rel(root, s.Path)
			got = append(got, filepath.ToSlash(rel)+": "+s.Reason)
		}
		out := " (not followed)"
		want := []string{
			".a: hidden", ".b: hidden",
			"abs.csv: symbolic link leading out of " + root + out,
			"environ.csv: symbolic link leading out of " + root + out,
			"fifo.json: not a regular file",
			"out.csv: symbolic link leading out of " + root + out,
			"outdir: symbolic link to a directory" + out,
			"pipe-link.json: symbolic link to something other than a regular file" + out,
			"sub/out2.yaml: symbolic link leading out of " + root + out,
		}
		if _, err := os.Stat("/proc/self/environ"); err != nil {
			want = slices.DeleteFunc(want, func(s string) bool { return s[:8] == "environ." })
			want = append(want[:3], append([]string{"environ.csv: broken symbolic link"}, want[3:]...)...)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: skipped:\n%q\nwant:\n%q", root, got, want)
		}
	}
}
