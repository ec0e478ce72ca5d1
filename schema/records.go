package schema

import "reflect"

// The record kinds. Field order is column order; the tags are the rules.
//
// Tags used here:
//   - json: the contract's field name, used in inputs, outputs and messages;
//   - validate: the go-playground/validator rules (custom tags in validate.go);
//   - warn: "recommended" marks a field whose absence is a warning, not an error;
//   - default: the value a reader fills in when the field is absent;
//   - derivable: "true" marks a field the quote must state (a figure, its
//     currency, qualifier and date, the page, a country), unless the record
//     declares it in derived;
//   - computed: "true" marks a field the pipeline computes, never read from
//     input;
//   - doc: what the field means, for the data dictionary and schemas.

// InvestmentTotal is the total investment of one country in another, as of a
// date: "Its total investment in Kazakhstan has reached about $3bn (as of 30
// September 2008 ...)".
type InvestmentTotal struct {
	Base
	Investor  string   `json:"investor" validate:"required,iso3166_1_alpha2" derivable:"true" doc:"Country that invests (ISO 3166-1 alpha-2)."`
	Recipient string   `json:"recipient" validate:"required,iso3166_1_alpha2,nefield=Investor" derivable:"true" doc:"Country that receives the investment (ISO 3166-1 alpha-2), not the investor."`
	Amount    *Decimal `json:"amount" validate:"required,gt=0,lte=1e13" derivable:"true" doc:"Amount invested, in units of the currency (not thousands or millions), at most 15 significant digits and 3 decimal places."`
	Currency  string   `json:"currency" validate:"required,iso4217" derivable:"true" doc:"Currency of the amount (ISO 4217)."`
	Qualifier string   `json:"qualifier" validate:"required,qualifier" default:"exact" derivable:"true" doc:"How the source qualifies the amount: exact, about, over or under."`
	AsOf      string   `json:"as_of" validate:"required,datetime=2006-01-02" derivable:"true" doc:"Date the figure refers to (YYYY-MM-DD)."`
	Sectors   []string `json:"sectors" validate:"omitempty,unique,dive,sector" doc:"Sectors the investment went to."`
	Note      string   `json:"note" validate:"omitempty,max=1000,nocontrol" doc:"Free-text remark by the curator."`
	Derived   Derived  `json:"derived" validate:"omitempty,derivable,dive,min=10,max=500,nocontrol" doc:"Figures the quote does not state word for word, each with the reason (a sum, a conversion, a date taken from elsewhere); they are not checked against the quote."`
	Provenance
}

// EnterpriseCount is the number of enterprises with one country's capital
// operating in another: "Over 300 enterprises ..., including 48 joint
// ventures and 62 representative offices".
type EnterpriseCount struct {
	Base
	Partner               string  `json:"partner" validate:"required,iso3166_1_alpha2" derivable:"true" doc:"Country of the capital (ISO 3166-1 alpha-2)."`
	Host                  string  `json:"host" validate:"required,iso3166_1_alpha2,nefield=Partner" derivable:"true" doc:"Country where the enterprises operate (ISO 3166-1 alpha-2), not the partner."`
	Enterprises           *int64  `json:"enterprises" validate:"required,gte=0,lte=9007199254740991" derivable:"true" doc:"Number of enterprises."`
	Qualifier             string  `json:"qualifier" validate:"required,qualifier" default:"exact" derivable:"true" doc:"How the source qualifies the number of enterprises: exact, about, over or under."`
	JointVentures         *int64  `json:"joint_ventures" validate:"omitempty,gte=0,lte=9007199254740991" derivable:"true" doc:"Of the enterprises, how many are joint ventures."`
	RepresentativeOffices *int64  `json:"representative_offices" validate:"omitempty,gte=0,lte=9007199254740991" derivable:"true" doc:"Of the enterprises, how many are representative offices."`
	AsOf                  string  `json:"as_of" validate:"omitempty,datetime=2006-01-02" warn:"recommended" derivable:"true" doc:"Date the figure refers to (YYYY-MM-DD); a count without one gets a warning."`
	Note                  string  `json:"note" validate:"omitempty,max=1000,nocontrol" doc:"Free-text remark by the curator."`
	Derived               Derived `json:"derived" validate:"omitempty,derivable,dive,min=10,max=500,nocontrol" doc:"Figures the quote does not state word for word, each with the reason (a sum, a date taken from elsewhere); they are not checked against the quote."`
	Provenance
}

// AgreementCount is the number of documents (agreements) between countries:
// "over 60 documents, including agreements on cultural ... cooperation".
type AgreementCount struct {
	Base
	Parties   []string `json:"parties" validate:"required,min=2,unique,dive,iso3166_1_alpha2" derivable:"true" doc:"Countries that are parties to the documents (ISO 3166-1 alpha-2), at least two, no repeats."`
	Documents *int64   `json:"documents" validate:"required,gte=1,lte=9007199254740991" derivable:"true" doc:"Number of documents."`
	Qualifier string   `json:"qualifier" validate:"required,qualifier" default:"exact" derivable:"true" doc:"How the source qualifies the number of documents: exact, about, over or under."`
	Areas     []string `json:"areas" validate:"omitempty,unique,dive,area" doc:"Areas of cooperation the documents cover."`
	AsOf      string   `json:"as_of" validate:"omitempty,datetime=2006-01-02" warn:"recommended" derivable:"true" doc:"Date the figure refers to (YYYY-MM-DD); a count without one gets a warning."`
	Note      string   `json:"note" validate:"omitempty,max=1000,nocontrol" doc:"Free-text remark by the curator."`
	Derived   Derived  `json:"derived" validate:"omitempty,derivable,dive,min=10,max=500,nocontrol" doc:"Figures the quote does not state word for word, each with the reason (a sum, a date taken from elsewhere); they are not checked against the quote."`
	Provenance
}

// Base holds what every record starts with.
type Base struct {
	ID string `json:"id" validate:"required,slug" doc:"Identifier of the record, unique across all inputs: lowercase letters, digits and hyphens."`
}

// Provenance says where a figure comes from. Every record ends with it.
//
// Fields tagged computed are filled in by the pipeline (from the declared
// source, the quote and figure checks and the reader's position) and never
// read from input.
type Provenance struct {
	Source        string `json:"source" validate:"required,slug" doc:"Identifier of the declared source the figure comes from."`
	SourceTitle   string `json:"source_title" computed:"true" doc:"Title of the source (copied from the sources table)."`
	Page          *int64 `json:"page" validate:"omitempty,gte=1,lte=100000" derivable:"true" doc:"Page of the source that states the figure."`
	Citation      string `json:"citation" validate:"omitempty,max=500,nocontrol" doc:"The source's own reference for the figure, such as [44, pp 332-333]."`
	Authority     string `json:"authority" validate:"omitempty,max=500,nocontrol" doc:"Who produced the figure, as the source says."`
	Quote         string `json:"quote" validate:"required,min=10,max=2000,nocontrol,visible=10" doc:"The words of the source that state the figure."`
	QuoteVerified bool   `json:"quote_verified" computed:"true" doc:"True when the quote was found in the source's text; false when the source has no text to check against."`
	Stated        Stated `json:"stated" computed:"true" doc:"The words of the quote that state each figure, with their place in the quote (in Unicode code points)."`
	InputFile     string `json:"input_file" computed:"true" doc:"Input file the record was read from, as given on the command line."`
	InputLine     int64  `json:"input_line" computed:"true" doc:"Line of the input file where the record starts."`
}

// Derived maps a field of a record to the reason the quote does not state
// its value word for word: "as_of": "the article's date; the sentence says
// only 'to date'". Deriving amount covers its currency and qualifier, and
// deriving a count its qualifier.
type Derived map[string]string

// Stated lists the words of a quote that state a record's figures, one
// Span per field, in column order.
type Stated []Span

// Span is the part of a quote that states one field's value.
type Span struct {
	// Field is the contract's field name, such as "amount".
	Field string
	// Text is the words, as the quote has them.
	Text string
	// Start and End delimit Text in the quote, in Unicode code points.
	Start, End int
}

// Source is a published document that figures are taken from.
type Source struct {
	ID        string `json:"id" validate:"required,slug" doc:"Identifier of the source, unique across all inputs."`
	Title     string `json:"title" validate:"required,max=500,nocontrol" doc:"Title of the document."`
	Chapter   string `json:"chapter" validate:"omitempty,max=500,nocontrol" doc:"Chapter or section the figures come from."`
	Pages     string `json:"pages" validate:"omitempty,max=100,nocontrol" doc:"Pages the figures come from, such as 190-191."`
	Publisher string `json:"publisher" validate:"omitempty,max=500,nocontrol" doc:"Publisher of the document."`
	Year      int64  `json:"year" validate:"omitempty,gte=1800,lte=2100" doc:"Year of publication; 0 or absent when not known."`
	URL       string `json:"url" validate:"omitempty,max=2000,http_url" doc:"Where the document can be found (http or https)."`
	Text      string `json:"text" validate:"omitempty,max=500,nocontrol" doc:"Plain text of the source, relative to the dataset file and inside its directory; enables quote verification."`
	SHA256    string `json:"sha256" validate:"omitempty,sha256" doc:"SHA-256 of the text file in lowercase hex; a mismatch is an error."`
	FirstPage *int64 `json:"first_page" validate:"omitempty,gte=1,lte=100000" doc:"Page number of the text's first page, when the text marks page breaks with form feeds (as pdftotext writes them); by default the first page of pages."`
	Dollar    string `json:"dollar" validate:"omitempty,iso4217" doc:"The ISO 4217 code that a bare $ (or dollars) means in this source, such as SGD; without it, a bare $ may be any dollar currency."`
}

func (b *Base) base() *Base                   { return b }
func (p *Provenance) provenance() *Provenance { return p }

// Record is implemented by a pointer to every record kind's struct.
type Record interface {
	base() *Base
	provenance() *Provenance
}

// ID returns the record's identifier.
func ID(r Record) string { return r.base().ID }

// ProvenanceOf returns the record's provenance, for the pipeline to fill in
// the computed fields.
func ProvenanceOf(r Record) *Provenance { return r.provenance() }

// DerivedOf returns the record's derived map (nil when it declares none).
func DerivedOf(r Record) Derived {
	m, _ := KindOf(r).derived.field(reflect.ValueOf(r).Elem()).Interface().(Derived)
	return m
}
