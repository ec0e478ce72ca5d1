package countries

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// quote300 is a quote of 300 characters, as records hold them.
const quote300 = "Its total investment in Kazakhstan has reached about $3bn (as of 30 September 2008, " +
	"according to the National Bank of Kazakhstan). The main spheres of investment are " +
	"construction, trade, finance, information technologies, the production of buses, " +
	"equipment for the oil and gas and chemical sectors and white goods."

func BenchmarkFind(b *testing.B) {
	theIndex()
	b.SetBytes(int64(len(quote300)))
	b.ReportAllocs()
	for b.Loop() {
		Find(quote300)
	}
}

// BenchmarkFindNoName is a quote that names no country: the cost of
// reading alone.
func BenchmarkFindNoName(b *testing.B) {
	text := strings.ReplaceAll(strings.ReplaceAll(quote300, "Kazakhstan", "the country"), "National", "Central")
	theIndex()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text)
	}
}

// BenchmarkFindSource reads the whole source text of the default dataset
// (two pages).
func BenchmarkFindSource(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "input", "defaultdata", "kazakhstan-today-p190-191.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := string(data)
	theIndex()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text)
	}
}

func BenchmarkSentenceBefore(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "input", "defaultdata", "kazakhstan-today-p190-191.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := []rune(string(data))
	start := strings.Index(string(text), "Its total")
	start = len([]rune(string(data)[:start]))
	b.ReportAllocs()
	for b.Loop() {
		SentenceBefore(text, start)
	}
}

// BenchmarkIndex is the cost of building the index, paid once by the first
// call.
func BenchmarkIndex(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ns := buildNames()
		if _, err := newMatcher(ns.names); err != nil {
			b.Fatal(err)
		}
	}
}
