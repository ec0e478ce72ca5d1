package output

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"export/schema"
)

// ManifestName is the file WriteManifest writes.
const ManifestName = "manifest.json"

// ManifestTool is the generated_by.tool of export's manifests (package
// pipeline writes it), by which NewStage and IsExportDir recognise a
// directory that export wrote.
const ManifestTool = "export"

// FormatManifest is the Format of the manifest's own File.
const FormatManifest = "manifest"

// WriteManifest writes manifest.json in dir: what a run wrote, from what,
// so that a CI job or a reader of the outputs can check them. Call it
// after every writer's Finish, with the Files they returned: their SHA256
// and Bytes are used as given (each writer hashed what it wrote), and a
// File without them is hashed as it is on disk in dir. The manifest has this shape (condensed here: the file has one
// key per line, indented by two spaces, and ends with a newline):
//
//	{
//	  "generated_by": {"tool": "export", "version": "v1.2.0", "created": "2024-05-01T00:00:00Z"},
//	  "validation": {"errors": 0, "warnings": 2},
//	  "records": {"agreement_counts": 1, "enterprise_counts": 1, "investment_totals": 1},
//	  "inputs": [
//	    {"path": "data/figures.yaml", "sha256": "9f86d0…", "bytes": 2048}
//	  ],
//	  "files": [
//	    {"name": "agreement_counts.csv", "format": "csv", "sha256": "2c26b4…", "bytes": 1234,
//	     "rows": {"agreement_counts": 1}},
//	    {"name": "figures.json", "format": "json", "sha256": "…", "bytes": 5678,
//	     "rows": {"agreement_counts": 1, "enterprise_counts": 1, "investment_totals": 1, "sources": 1}}
//	  ]
//	}
//
// "created" is there only when meta.Created is set (RFC 3339, UTC).
// "validation" is the run's summary. "records" counts the records written
// per kind, with every kind present; each format writes the same records,
// so an output whose row count for a kind differs from another's is an
// error. "inputs" lists meta.Inputs in reading order. "files" lists the
// output files sorted by name, "rows" giving the data rows of each table
// in the file ({} for a file without tables); the manifest does not list
// itself. Keys of "records" and "rows" are sorted. The same files and meta
// give the same bytes.
//
// The returned File describes manifest.json, with Rows nil.
func WriteManifest(dir string, files []File, meta *Meta) (File, error) {
	if meta == nil {
		meta = &Meta{}
	}
	m := Manifest{
		GeneratedBy: newGeneratedBy(meta),
		Validation:  Validation{Errors: meta.Errors, Warnings: meta.Warnings},
		Records:     map[string]int{},
		Inputs:      slices.Clone(meta.Inputs),
		Files:       make([]ManifestFile, 0, len(files)),
	}
	if m.Inputs == nil {
		m.Inputs = []Input{}
	}
	for _, k := range schema.Kinds() {
		m.Records[k.Plural] = 0
	}
	seen := map[string]string{} // table -> the file that first counted it
	for _, f := range files {
		if f.Name == ManifestName {
			return File{}, fmt.Errorf("%s cannot list itself", ManifestName)
		}
		sum, size, err := f.digest(dir)
		if err != nil {
			return File{}, fmt.Errorf("writing %s: %w", ManifestName, err)
		}
		rows := map[string]int{}
		for _, table := range slices.Sorted(maps.Keys(f.Rows)) {
			n := f.Rows[table]
			rows[table] = n
			if _, isKind := m.Records[table]; !isKind {
				continue // sources
			}
			if first, ok := seen[table]; ok && m.Records[table] != n {
				return File{}, fmt.Errorf("writing %s: %s has %d rows of %s, but %s has %d",
					ManifestName, f.Name, n, table, first, m.Records[table])
			}
			seen[table] = f.Name
			m.Records[table] = n
		}
		m.Files = append(m.Files, ManifestFile{Name: f.Name, Format: f.Format, SHA256: sum, Bytes: size, Rows: rows})
	}
	slices.SortFunc(m.Files, func(a, b ManifestFile) int { return cmp.Compare(a.Name, b.Name) })
	for i := 1; i < len(m.Files); i++ {
		if m.Files[i].Name == m.Files[i-1].Name {
			return File{}, fmt.Errorf("writing %s: %s is listed twice", ManifestName, m.Files[i].Name)
		}
	}
	b, err := indentedJSON(m, "")
	if err != nil {
		return File{}, fmt.Errorf("writing %s: %w", ManifestName, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestName), append(b, '\n'), 0o666); err != nil {
		return File{}, fmt.Errorf("writing %s: %w", ManifestName, err)
	}
	return File{Name: ManifestName, Format: FormatManifest}, nil
}

// Manifest is manifest.json: WriteManifest writes it, ReadManifest reads
// it. Field order is key order; encoding/json sorts the keys of the maps.
type Manifest struct {
	GeneratedBy GeneratedBy    `json:"generated_by"`
	Validation  Validation     `json:"validation"`
	Records     map[string]int `json:"records"`
	Inputs      []Input        `json:"inputs"`
	Files       []ManifestFile `json:"files"`
	// SHA256 is the SHA-256 (lowercase hex) of the manifest.json that
	// ReadManifest read: the same outputs have the same one.
	SHA256 string `json:"-"`
}

// Validation is the run's validation summary.
type Validation struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// ManifestFile is one output file that a manifest lists.
type ManifestFile struct {
	Name   string         `json:"name"`
	Format string         `json:"format"`
	SHA256 string         `json:"sha256"`
	Bytes  int64          `json:"bytes"`
	Rows   map[string]int `json:"rows"`
}

// digest returns the SHA-256 (lowercase hex) and size of the file in dir:
// those its writer computed, else those of the file read again.
func (f File) digest(dir string) (string, int64, error) {
	if f.SHA256 != "" {
		return f.SHA256, f.Bytes, nil
	}
	return hashFile(filepath.Join(dir, f.Name))
}

// digestWriter passes what it writes to w and hashes it, so that a writer
// can describe its file (File.SHA256, File.Bytes) without reading it again.
//
// It also starts the kernel writing each writebackChunk to disk as soon as it is written. The outputs are
// synced before they are published (Stage.Publish): without this, the
// whole of them, hundreds of megabytes for a million records, would be
// written to disk only then, while the run waits; with it, the disk works
// while the records are being converted, and the sync finds little left.
type digestWriter struct {
	file   *os.File
	h      hash.Hash
	n      int64
	synced int64 // bytes handed to writeback
}

const writebackChunk = 8 << 20

func newDigestWriter(f *os.File) *digestWriter { return &digestWriter{file: f, h: sha256.New()} }

func (d *digestWriter) Write(p []byte) (int, error) {
	n, err := d.file.Write(p)
	d.h.Write(p[:n])
	d.n += int64(n)
	if d.n-d.synced >= writebackChunk {
		startWriteback(d.file, d.synced, d.n-d.synced)
		d.synced = d.n
	}
	return n, err
}

// appendFile appends the whole of src (a temporary file this process
// wrote) to d's file and to its hash. The kernel copies the bytes
// (File.ReadFrom: copy_file_range on Linux) while another goroutine reads
// src again, from the page cache, into the hash: the hundreds of megabytes
// of a large figures.json are not read into user space and written out
// again, and hashing them overlaps the copy. No one else writes to d
// meanwhile, so the hash still sees the file's bytes in order.
func (d *digestWriter) appendFile(src *os.File) error {
	size, err := src.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	hashed := make(chan error, 1)
	go func() {
		_, err := io.Copy(d.h, io.NewSectionReader(src, 0, size))
		hashed <- err
	}()
	n, err := d.file.ReadFrom(io.LimitReader(src, size))
	if herr := <-hashed; err == nil {
		err = herr
	}
	if err == nil && n != size {
		err = fmt.Errorf("copied %d of the %d bytes of %s", n, size, src.Name())
	}
	d.n += n
	if d.n-d.synced >= writebackChunk {
		startWriteback(d.file, d.synced, d.n-d.synced)
		d.synced = d.n
	}
	return err
}

// describe sets f's digest to what went through d.
func (d *digestWriter) describe(f File) File {
	f.SHA256, f.Bytes = hex.EncodeToString(d.h.Sum(nil)), d.n
	return f
}

// hashFile returns the SHA-256 (lowercase hex) and size of a file.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// maxManifestBytes bounds the manifest.json that readManifest reads: one
// export writes lists a few dozen files in a few KiB.
const maxManifestBytes = 1 << 20

// ReadManifest reads the manifest.json of dir and checks that export wrote
// it: valid JSON of the manifest's shape, generated_by.tool ManifestTool,
// and every file listed once, by a name IsOutputName takes, with a SHA-256
// and a size. It does not look at the files: Verify does. An error
// wrapping fs.ErrNotExist means dir has no manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	m, err := readManifest(dir)
	path := filepath.Join(dir, ManifestName)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s has no %s (%w); give a directory that export run wrote", dir, ManifestName, fs.ErrNotExist)
	case err != nil:
		return nil, fmt.Errorf("%s is not a manifest that export wrote: %w", path, err)
	}
	return m, nil
}

// readManifest is ReadManifest with errors that say what is wrong with
// the manifest without naming it, for messages that already do.
func readManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName)
	// Not opened unless it is a regular file: a named pipe would block.
	if info, err := os.Lstat(path); err != nil {
		return nil, err
	} else if !info.Mode().IsRegular() {
		return nil, errors.New("it is not a file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxManifestBytes {
		return nil, errors.New("it is larger than any export writes")
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("it is not the JSON export writes: %v", err)
	}
	if m.GeneratedBy.Tool != ManifestTool {
		return nil, fmt.Errorf("its generated_by.tool is %q, not %q", m.GeneratedBy.Tool, ManifestTool)
	}
	names := map[string]bool{}
	for _, f := range m.Files {
		switch {
		case !IsOutputName(f.Name):
			return nil, fmt.Errorf("it lists %q, which is not a name export writes", f.Name)
		case names[f.Name]:
			return nil, fmt.Errorf("it lists %s twice", f.Name)
		case !isSHA256(f.SHA256) || f.Bytes < 0:
			return nil, fmt.Errorf("it lists %s without its SHA-256 and size", f.Name)
		}
		names[f.Name] = true
	}
	sum := sha256.Sum256(b)
	m.SHA256 = hex.EncodeToString(sum[:])
	return &m, nil
}

// Verify checks that every file m lists is in dir as export wrote it: a
// regular file with the listed size and SHA-256. Otherwise its error, a
// *ChangedError, names every file that is not.
func (m *Manifest) Verify(dir string) error {
	changed := &ChangedError{Dir: dir}
	for _, f := range m.Files {
		info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Name)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			changed.Files = append(changed.Files, f.Name+" is missing")
		case err != nil:
			return err
		case !info.Mode().IsRegular():
			changed.Files = append(changed.Files, f.Name+" is not a file")
		default:
			same, err := f.asWritten(dir, info)
			if err != nil {
				return fmt.Errorf("%s: %w", dir, err)
			}
			if !same {
				changed.Files = append(changed.Files, f.Name+" changed since export wrote it")
			}
		}
	}
	if len(changed.Files) > 0 {
		return changed
	}
	return nil
}

// ChangedError is Verify's error: the files of a directory that are not
// as its manifest lists them. It wraps ErrChanged.
type ChangedError struct {
	Dir string
	// Files says of each file what is wrong with it ("a.csv is missing").
	Files []string
}

func (e *ChangedError) Error() string {
	return fmt.Sprintf("%s: %s (the directory is not as its %s lists it)", e.Dir, strings.Join(e.Files, ", "), ManifestName)
}

func (e *ChangedError) Unwrap() error { return ErrChanged }

// asWritten reports whether the file f, found in dir with info, has the
// size and SHA-256 that f lists.
func (f ManifestFile) asWritten(dir string, info fs.FileInfo) (bool, error) {
	if info.Size() != f.Bytes {
		return false, nil
	}
	sum, _, err := hashFile(filepath.Join(dir, filepath.FromSlash(f.Name)))
	return err == nil && sum == f.SHA256, err
}

// FileOf returns the listed file of the given format that holds table
// (rows counts it), if any.
func (m *Manifest) FileOf(format, table string) (ManifestFile, bool) {
	for _, f := range m.Files {
		if _, ok := f.Rows[table]; ok && f.Format == format {
			return f, true
		}
	}
	return ManifestFile{}, false
}

// IsOutputName reports whether name is one a manifest may list: a plain
// file name, or one in the folder of source texts ("sources/NAME").
func IsOutputName(name string) bool {
	plain := func(n string) bool {
		return n != "" && n != "." && n != ".." && !strings.ContainsAny(n, "/\\")
	}
	if rest, ok := strings.CutPrefix(name, SourceTextsDir+"/"); ok {
		return plain(rest)
	}
	return plain(name) && name != ManifestName
}

// isSHA256 reports whether s is a SHA-256 as the manifest writes it: 64
// lowercase hexadecimal digits.
func isSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// IsExportDir reports whether dir holds a manifest.json that export wrote
// (see readManifest): an output directory, whose files are export's
// outputs rather than data to read. It reads the manifest only, not the
// files it lists, so a directory whose workbook an analyst edited in place
// is still one.
func IsExportDir(dir string) bool {
	_, err := readManifest(dir)
	return err == nil
}
