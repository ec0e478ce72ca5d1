package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"export/output/pgload"
	"export/output/sqltables"
	"export/pipeline"
)

// loadCommand is export load: a published output directory into
// PostgreSQL (package pgload).
func loadCommand() *command {
	return &command{name: "load", usage: "load --postgres URL [--schema NAME] [OUTDIR]",
		short: "load a published output directory into PostgreSQL", flags: loadFlags, run: runLoad}
}

// loadOptions are export load's own flags.
type loadOptions struct {
	postgres string
	schema   string
	printSQL bool
	quiet    bool
}

// loadOptionsOf holds the loadOptions of each parse: the commands table
// hands every command the options that all of them share, and dispatch
// passes the same *options to a command's flags and to its run.
var loadOptionsOf sync.Map // *options -> *loadOptions

func loadFlags(o *options) *flag.FlagSet {
	lo := &loadOptions{}
	loadOptionsOf.Store(o, lo)
	fs := newFlagSet("load")
	fs.StringVar(&lo.postgres, "postgres", "", "PostgreSQL connection `URL` (postgres://user@host/db; default $DATABASE_URL, else the PG* variables)")
	fs.StringVar(&lo.schema, "schema", "export", "the `NAME` of the schema the tables are in (created when missing)")
	fs.BoolVar(&lo.printSQL, "print-sql", false, "print the SQL that creates the schema's tables and exit, without connecting")
	fs.BoolVar(&lo.quiet, "quiet", false, "no summary of what was loaded on stderr")
	return fs
}

func runLoad(ctx context.Context, o *options, paths []string, stdout, stderr io.Writer) (int, error) {
	v, _ := loadOptionsOf.LoadAndDelete(o)
	lo := v.(*loadOptions)
	if lo.schema == "" {
		return 0, usagef("--schema: give a schema name")
	}
	if lo.printSQL {
		return printLoadSQL(stdout, lo.schema)
	}
	if len(paths) > 1 {
		return 0, usagef("load takes one output directory, not %d", len(paths))
	}
	dir := "out"
	if len(paths) == 1 {
		dir = paths[0]
	}
	connString, from := lo.postgres, "--postgres"
	if connString == "" {
		connString, from = os.Getenv("DATABASE_URL"), "DATABASE_URL"
	}
	if connString == "" {
		from = "the PG* variables" // pgx reads PGHOST, PGUSER, PGPASSWORD...
	}
	secrets := passwords(connString)
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		return 0, redact(usagef("%s: %v", from, err), secrets)
	}
	secrets = append(secrets, cfg.Password)
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	res, err := pgload.Load(ctx, pgload.Options{Config: cfg, Schema: lo.schema, Dir: dir, Version: pipeline.Version})
	if errors.Is(err, context.Canceled) {
		return 0, &interrupted{"nothing was loaded"} // the load is one transaction, rolled back
	}
	if err != nil {
		return 0, redact(err, secrets)
	}
	if !lo.quiet {
		var total int64 // of the data, not of the dictionary
		for name, n := range res.Rows {
			if t, ok := sqltables.Lookup(name); ok && t.Role != sqltables.Dictionary {
				total += n
			}
		}
		changed := "none changed"
		if res.Changed > 0 {
			changed = fmt.Sprintf("%d rows inserted, updated or deleted", res.Changed)
		}
		fmt.Fprintf(stderr, "export: loaded %s into schema %s of %s (load %d, %d rows, %s)\n", dir, lo.schema, cfg.Database, res.LoadID, total, changed)
		for _, c := range res.Added {
			fmt.Fprintf(stderr, "export: added column %s, which this version of export has and the table had not\n", c)
		}
		for _, n := range res.Notes {
			fmt.Fprintf(stderr, "export: note: %s\n", n)
		}
	}
	return exitOK, nil
}

// printLoadSQL prints the DDL of the schema's tables and view.
func printLoadSQL(w io.Writer, schemaName string) (int, error) {
	d := sqltables.PostgreSQL
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE SCHEMA IF NOT EXISTS %s;\n", d.Quote(schemaName))
	for _, t := range append(sqltables.Tables(), sqltables.LoadsTable()) {
		b.WriteString(d.CreateTable(schemaName, t) + ";\n")
	}
	b.WriteString(d.CreateFiguresView(schemaName) + ";\n")
	_, err := io.WriteString(w, b.String())
	return exitOK, err
}

// passwords returns the password of a connection URL or key=value string,
// so that no message prints it.
func passwords(conn string) []string {
	var out []string
	if u, err := url.Parse(conn); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			out = append(out, p, url.QueryEscape(p), url.PathEscape(p))
		}
		if p := u.Query().Get("password"); p != "" {
			out = append(out, p)
		}
	}
	for _, f := range strings.Fields(conn) {
		if p, ok := strings.CutPrefix(f, "password="); ok {
			out = append(out, strings.Trim(p, "'"))
		}
	}
	if p := os.Getenv("PGPASSWORD"); p != "" {
		out = append(out, p)
	}
	return out
}

// redact removes every secret from err's message (pgx's own messages
// leave the password out; this is the guarantee, whatever a message
// holds).
func redact(err error, secrets []string) error {
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg, changed = strings.ReplaceAll(msg, s, "xxxxx"), true
		}
	}
	if !changed {
		return err
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return &usageError{msg}
	}
	return errors.New(msg)
}
