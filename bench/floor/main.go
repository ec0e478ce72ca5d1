// Command floor is the bare-Go floor that bench/run.sh measures export
// against: the same CSV rows read with encoding/csv, validated with
// validator/v10 Struct() on plain structs with tags comparable to export's,
// and written with encoding/csv, encoding/json and excelize's StreamWriter,
// all in one goroutine, with none of export's work around them (positions,
// messages, provenance, quote verification, typed cells, tables, atomic
// publishing).
//
//	floor -mode MODE [-o DIR] FILE.csv
//
// Modes, each a line of the table in issue 4:
//
//	read      read every row with encoding/csv, nothing else
//	validate  read, fill the row's struct, validator.Struct() it (by value)
//	csv       read, fill, write the row with encoding/csv (one file per kind)
//	jsonl     read, fill, write the struct with encoding/json (JSON Lines)
//	xlsx      read, write the row as typed cells with excelize's StreamWriter
//	          into one sheet (continued on further sheets past Excel's row
//	          limit), then SaveAs
//	all       read, fill, validate, and write csv, jsonl and xlsx
//
// It prints one line to stdout, "MODE: N rows, M invalid": the rows read,
// and how many of them were invalid (an unknown kind, or in validate and
// all a failed validator.Struct()) and so not written; read and xlsx look
// at no row, so M is 0 there.
// bench/run.sh requires "MODE: N rows, 0 invalid" for its N valid records,
// so that a floor that drops or rejects rows, and therefore writes less,
// fails the benchmark instead of making a fast baseline.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/xuri/excelize/v2"
)

// The record structs: the contract's fields and rules with stock validator
// tags (plus slug), in the CSV's column order.

type investment struct {
	ID        string   `json:"id" validate:"required,slug"`
	Kind      string   `json:"kind" validate:"required"`
	Investor  string   `json:"investor" validate:"required,iso3166_1_alpha2"`
	Recipient string   `json:"recipient" validate:"required,iso3166_1_alpha2,nefield=Investor"`
	Amount    *float64 `json:"amount" validate:"required,gt=0,lte=1e13"`
	Currency  string   `json:"currency" validate:"required,iso4217"`
	Qualifier string   `json:"qualifier" validate:"required,oneof=exact about over under"`
	AsOf      string   `json:"as_of" validate:"required,datetime=2006-01-02"`
	Sectors   []string `json:"sectors" validate:"omitempty,unique,dive,oneof=construction trade finance information_technology bus_manufacturing oil_gas_equipment chemical_equipment white_goods agriculture machine_building energy mining other"`
	Note      string   `json:"note" validate:"omitempty,max=1000"`
	Provenance
}

type enterprise struct {
	ID                    string `json:"id" validate:"required,slug"`
	Kind                  string `json:"kind" validate:"required"`
	Partner               string `json:"partner" validate:"required,iso3166_1_alpha2"`
	Host                  string `json:"host" validate:"required,iso3166_1_alpha2,nefield=Partner"`
	Enterprises           *int64 `json:"enterprises" validate:"required,gte=0"`
	Qualifier             string `json:"qualifier" validate:"required,oneof=exact about over under"`
	JointVentures         *int64 `json:"joint_ventures" validate:"omitempty,gte=0"`
	RepresentativeOffices *int64 `json:"representative_offices" validate:"omitempty,gte=0"`
	AsOf                  string `json:"as_of" validate:"omitempty,datetime=2006-01-02"`
	Note                  string `json:"note" validate:"omitempty,max=1000"`
	Provenance
}

type agreement struct {
	ID        string   `json:"id" validate:"required,slug"`
	Kind      string   `json:"kind" validate:"required"`
	Parties   []string `json:"parties" validate:"required,min=2,unique,dive,iso3166_1_alpha2"`
	Documents *int64   `json:"documents" validate:"required,gte=1"`
	Qualifier string   `json:"qualifier" validate:"required,oneof=exact about over under"`
	Areas     []string `json:"areas" validate:"omitempty,unique,dive,oneof=culture science_technology education information_technology telecommunications energy mineral_resources trade tourism sport other"`
	AsOf      string   `json:"as_of" validate:"omitempty,datetime=2006-01-02"`
	Note      string   `json:"note" validate:"omitempty,max=1000"`
	Provenance
}

// Provenance ends every record.
type Provenance struct {
	Source        string `json:"source" validate:"required,slug"`
	SourceTitle   string `json:"source_title"`
	Page          *int64 `json:"page" validate:"omitempty,gte=1,lte=100000"`
	Citation      string `json:"citation" validate:"omitempty,max=500"`
	Authority     string `json:"authority" validate:"omitempty,max=500"`
	Quote         string `json:"quote" validate:"required,min=10,max=2000"`
	QuoteVerified bool   `json:"quote_verified"`
	InputFile     string `json:"input_file"`
	InputLine     int64  `json:"input_line"`
}

// excelMaxRows is Excel's row limit, header included.
const excelMaxRows = 1048576

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	mode := fs.String("mode", "read", "read, validate, csv, jsonl, xlsx or all")
	out := fs.String("o", "floor-out", "output `DIR` (created)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: floor -mode MODE [-o DIR] FILE.csv")
	}
	f := &floor{}
	switch *mode {
	case "read":
	case "validate":
		f.validate = true
	case "csv":
		f.csv = true
	case "jsonl":
		f.jsonl = true
	case "xlsx":
		f.xlsx = true
	case "all":
		f.validate, f.csv, f.jsonl, f.xlsx = true, true, true, true
	default:
		return fmt.Errorf("unknown mode %q", *mode)
	}
	if f.csv || f.jsonl || f.xlsx {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
	}
	f.dir = *out
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	if err := f.run(in); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d rows, %d invalid\n", *mode, f.rows, f.invalid)
	return nil
}

type floor struct {
	validate, csv, jsonl, xlsx bool
	dir                        string

	v       *validator.Validate
	header  []string
	col     map[string]int
	numeric []byte // per column: 'f' float, 'i' integer, 'b' boolean, 0 text

	csvOut   map[string]*csvFile
	jsonFile *os.File
	jsonBuf  *bufio.Writer
	jsonEnc  *json.Encoder
	book     *excelize.File
	sheet    *excelize.StreamWriter
	sheets   int
	xlsxRow  int
	cells    []any

	rows, invalid int
}

type csvFile struct {
	f *os.File
	w *csv.Writer
}

func (f *floor) run(in io.Reader) error {
	r := csv.NewReader(bufio.NewReaderSize(in, 1<<16))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("reading the header: %w", err)
	}
	f.header = append([]string(nil), header...)
	f.col = map[string]int{}
	f.numeric = make([]byte, len(header))
	for i, name := range header {
		f.col[name] = i
		switch name {
		case "amount":
			f.numeric[i] = 'f'
		case "page", "enterprises", "joint_ventures", "representative_offices", "documents", "input_line":
			f.numeric[i] = 'i'
		case "quote_verified":
			f.numeric[i] = 'b'
		}
	}
	if err := f.start(); err != nil {
		return err
	}
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		f.rows++
		if err := f.row(row); err != nil {
			return err
		}
	}
	return f.finish()
}

func (f *floor) start() error {
	if f.validate {
		f.v = validator.New(validator.WithRequiredStructEnabled())
		slug := func(fl validator.FieldLevel) bool {
			s := fl.Field().String()
			if len(s) == 0 || len(s) > 64 {
				return false
			}
			for i := 0; i < len(s); i++ {
				c := s[i]
				if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' && i > 0) {
					return false
				}
			}
			return true
		}
		if err := f.v.RegisterValidation("slug", slug); err != nil {
			return err
		}
	}
	if f.csv {
		f.csvOut = map[string]*csvFile{}
	}
	if f.jsonl {
		file, err := os.Create(filepath.Join(f.dir, "records.jsonl"))
		if err != nil {
			return err
		}
		f.jsonFile, f.jsonBuf = file, bufio.NewWriterSize(file, 1<<16)
		f.jsonEnc = json.NewEncoder(f.jsonBuf)
	}
	if f.xlsx {
		f.book = excelize.NewFile()
		f.cells = make([]any, len(f.header))
		if err := f.nextSheet(); err != nil {
			return err
		}
	}
	return nil
}

// nextSheet starts a sheet with the header row.
func (f *floor) nextSheet() error {
	if f.sheet != nil {
		if err := f.sheet.Flush(); err != nil {
			return err
		}
	}
	f.sheets++
	name := "Sheet1"
	if f.sheets > 1 {
		name = fmt.Sprintf("Sheet%d", f.sheets)
		if _, err := f.book.NewSheet(name); err != nil {
			return err
		}
	}
	sw, err := f.book.NewStreamWriter(name)
	if err != nil {
		return err
	}
	f.sheet, f.xlsxRow = sw, 1
	head := make([]any, len(f.header))
	for i, h := range f.header {
		head[i] = h
	}
	return f.writeXLSX(head)
}

func (f *floor) writeXLSX(cells []any) error {
	if f.xlsxRow > excelMaxRows {
		if err := f.nextSheet(); err != nil {
			return err
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, f.xlsxRow)
	if err != nil {
		return err
	}
	f.xlsxRow++
	return f.sheet.SetRow(cell, cells)
}

func (f *floor) cell(row []string, name string) string {
	if i, ok := f.col[name]; ok {
		return row[i]
	}
	return ""
}

func (f *floor) float(row []string, name string) *float64 {
	s := f.cell(row, name)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

func (f *floor) int(row []string, name string) *int64 {
	s := f.cell(row, name)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return &v
}

func (f *floor) list(row []string, name string) []string {
	if s := f.cell(row, name); s != "" {
		return strings.Split(s, ";")
	}
	return nil
}

func (f *floor) provenance(row []string) Provenance {
	line := f.int(row, "input_line")
	if line == nil {
		line = new(int64)
	}
	return Provenance{Source: f.cell(row, "source"), SourceTitle: f.cell(row, "source_title"), Page: f.int(row, "page"),
		Citation: f.cell(row, "citation"), Authority: f.cell(row, "authority"), Quote: f.cell(row, "quote"),
		QuoteVerified: f.cell(row, "quote_verified") == "true", InputFile: f.cell(row, "input_file"), InputLine: *line}
}

// record fills the row's struct; nil for an unknown kind.
func (f *floor) record(row []string) any {
	switch kind := f.cell(row, "kind"); kind {
	case "investment_total":
		return investment{ID: f.cell(row, "id"), Kind: kind, Investor: f.cell(row, "investor"),
			Recipient: f.cell(row, "recipient"), Amount: f.float(row, "amount"), Currency: f.cell(row, "currency"),
			Qualifier: f.cell(row, "qualifier"), AsOf: f.cell(row, "as_of"), Sectors: f.list(row, "sectors"),
			Note: f.cell(row, "note"), Provenance: f.provenance(row)}
	case "enterprise_count":
		return enterprise{ID: f.cell(row, "id"), Kind: kind, Partner: f.cell(row, "partner"), Host: f.cell(row, "host"),
			Enterprises: f.int(row, "enterprises"), Qualifier: f.cell(row, "qualifier"),
			JointVentures: f.int(row, "joint_ventures"), RepresentativeOffices: f.int(row, "representative_offices"),
			AsOf: f.cell(row, "as_of"), Note: f.cell(row, "note"), Provenance: f.provenance(row)}
	case "agreement_count":
		return agreement{ID: f.cell(row, "id"), Kind: kind, Parties: f.list(row, "parties"),
			Documents: f.int(row, "documents"), Qualifier: f.cell(row, "qualifier"), Areas: f.list(row, "areas"),
			AsOf: f.cell(row, "as_of"), Note: f.cell(row, "note"), Provenance: f.provenance(row)}
	}
	return nil
}

func (f *floor) row(row []string) error {
	var rec any
	if f.validate || f.jsonl || f.csv {
		rec = f.record(row)
		if rec == nil {
			f.invalid++
			return nil
		}
	}
	if f.validate {
		if err := f.v.Struct(rec); err != nil {
			var ves validator.ValidationErrors
			if !errors.As(err, &ves) {
				return err
			}
			f.invalid++
			return nil
		}
	}
	if f.csv {
		kind := f.cell(row, "kind")
		out, ok := f.csvOut[kind]
		if !ok {
			file, err := os.Create(filepath.Join(f.dir, kind+".csv"))
			if err != nil {
				return err
			}
			out = &csvFile{f: file, w: csv.NewWriter(file)} // buffered by csv.Writer
			if err := out.w.Write(f.header); err != nil {
				return err
			}
			f.csvOut[kind] = out
		}
		if err := out.w.Write(row); err != nil {
			return err
		}
	}
	if f.jsonl {
		if err := f.jsonEnc.Encode(rec); err != nil {
			return err
		}
	}
	if f.xlsx {
		for i, s := range row {
			f.cells[i] = typed(s, f.numeric[i])
		}
		if err := f.writeXLSX(f.cells); err != nil {
			return err
		}
	}
	return nil
}

// typed returns a cell's value as a number, boolean or text; nil when empty.
func typed(s string, kind byte) any {
	if s == "" {
		return nil
	}
	switch kind {
	case 'f':
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return v
		}
	case 'i':
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return v
		}
	case 'b':
		return s == "true"
	}
	return s
}

func (f *floor) finish() error {
	for _, out := range f.csvOut {
		out.w.Flush()
		if err := out.w.Error(); err != nil {
			return err
		}
		if err := out.f.Close(); err != nil {
			return err
		}
	}
	if f.jsonl {
		if err := f.jsonBuf.Flush(); err != nil {
			return err
		}
		if err := f.jsonFile.Close(); err != nil {
			return err
		}
	}
	if f.xlsx {
		if err := f.sheet.Flush(); err != nil {
			return err
		}
		if err := f.book.SaveAs(filepath.Join(f.dir, "floor.xlsx")); err != nil {
			return err
		}
		return f.book.Close()
	}
	return nil
}
