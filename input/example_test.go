package input_test

import (
	"fmt"
	"io"
	"testing/fstest"

	"export/input"
)

// Read the sources and records of a YAML file, one at a time, with the
// position of each item, field and reading problem.
func ExampleOpen() {
	fsys := fstest.MapFS{"figures.yaml": {Data: []byte(`sources:
  - id: kazakhstan-today
    title: Kazakhstan today
records:
  - id: kr-kz-enterprises
    kind: enterprise_count
    partner: KR
    host: KZ
    enterprises: 300
    colour: red
`)}}
	f := input.FromFS(fsys, "figures.yaml", "figures.yaml")
	rc, err := f.Open()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rc.Close()
	r, err := input.Open(f, rc, input.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil { // the rest of the file cannot be read
			fmt.Println(err)
			break
		}
		if it.IsSource() {
			fmt.Printf("%v: source %s\n", it.Pos, it.ID)
		} else {
			fmt.Printf("%v: %s %s, enterprises at %v\n", it.Pos, it.Kind.Name, it.ID, it.FieldPos("enterprises", -1))
		}
		for _, p := range it.Problems {
			fmt.Printf("  %v: %s [%s]\n", p.Pos, p.Field, p.Rule)
		}
	}
	// Output:
	// figures.yaml:2:5: source kazakhstan-today
	// figures.yaml:5:5: enterprise_count kr-kz-enterprises, enterprises at figures.yaml:9:5
	//   figures.yaml:10:5: colour [unknown_field]
}
