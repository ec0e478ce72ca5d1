package output_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"export/output"
	"export/schema"
)

// A CSV writer writes one file per kind, with the kind's columns: the
// record's fields, then the provenance columns. Absent optional values are
// empty cells, lists are ;-joined, and a text cell that a spreadsheet would
// take for a formula gets a leading apostrophe.
func ExampleNew() {
	dir, err := os.MkdirTemp("", "export-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	w, err := output.New(output.FormatCSV, dir, output.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	rec := &schema.AgreementCount{
		Base:      schema.Base{ID: "kz-kr-agreements"},
		Parties:   []string{"KZ", "KR"},
		Documents: new(int64(60)),
		Qualifier: "over",
		Areas:     []string{"culture", "energy"},
		Note:      "-60 is a lower bound",
		Provenance: schema.Provenance{
			Source:        "kazakhstan-today",
			SourceTitle:   "Kazakhstan today",
			Page:          new(int64(191)),
			Quote:         "over 60 documents, including agreements",
			QuoteVerified: true,
			InputFile:     "figures.yaml",
			InputLine:     12,
		},
	}
	if err := w.Write(rec); err != nil {
		log.Fatal(err)
	}
	files, err := w.Finish(&output.Meta{Tool: "export", Version: "example"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println(f.Name, f.Rows)
	}
	b, err := os.ReadFile(filepath.Join(dir, "agreement_counts.csv"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(b))
	// Output:
	// investment_totals.csv map[investment_totals:0]
	// enterprise_counts.csv map[enterprise_counts:0]
	// agreement_counts.csv map[agreement_counts:1]
	// sources.csv map[sources:0]
	// id,kind,parties,documents,qualifier,areas,as_of,note,derived,source,source_title,page,citation,authority,quote,quote_verified,input_file,input_line
	// kz-kr-agreements,agreement_count,KZ;KR,60,over,culture;energy,,'-60 is a lower bound,,kazakhstan-today,Kazakhstan today,191,,,"over 60 documents, including agreements",true,figures.yaml,12
}
