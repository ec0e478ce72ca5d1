package main

// export load and figures.sqlite from the command line, against a
// throwaway PostgreSQL server (package pgtest), and their faults (issue 13,
// item 6): an unreachable server, a wrong password, a missing privilege, a
// changed file, a full disk while writing figures.sqlite. Every one exits
// 2 with one line, loads or writes nothing, and never prints a password.

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"export/output/pgload/pgtest"
	"export/output/sqltables"
)

// runExport runs export in this process, with env set for the run.
func runExport(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	code := run(args, nil, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// noSecret fails when any output holds the password.
func noSecret(t *testing.T, secret string, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		if strings.Contains(o, secret) {
			t.Errorf("the password %q is printed: %s", secret, o)
		}
	}
}

func TestInteropLoadCommand(t *testing.T) {
	s := pgtest.Start(t)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runExport(t, nil, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("export run: exit %d: %s", code, stderr)
	}
	const secret = "S3cret-pw-never-printed"
	s.Psql(t, `CREATE ROLE loader LOGIN PASSWORD '`+secret+`'; GRANT CREATE ON DATABASE postgres TO loader;
		CREATE ROLE reader LOGIN PASSWORD '`+secret+`'`)
	base := fmt.Sprintf("127.0.0.1:%d/postgres?sslmode=disable", s.Port)
	env := map[string]string{"DATABASE_URL": "", "PGPASSWORD": ""}

	t.Run("loads", func(t *testing.T) {
		code, stdout, stderr := runExport(t, env, "load", "--postgres", "postgres://loader:"+secret+"@"+base, "--schema", "cli", out)
		if code != 0 || !strings.Contains(stderr, "loaded") || !strings.Contains(stderr, "load 1") {
			t.Fatalf("exit %d: %s%s", code, stdout, stderr)
		}
		noSecret(t, secret, stdout, stderr)
		if got := s.Psql(t, `SELECT count(*) FROM cli.figures`); got != "3" {
			t.Errorf("figures: %s rows", got)
		}
	})
	t.Run("DATABASE_URL", func(t *testing.T) {
		e := map[string]string{"DATABASE_URL": "postgres://loader:" + secret + "@" + base, "PGPASSWORD": ""}
		if code, stdout, stderr := runExport(t, e, "load", "--schema", "cli", out); code != 0 || !regexp.MustCompile(`\(load 2, \d+ rows, none changed\)`).MatchString(stderr) {
			t.Errorf("exit %d: %s%s", code, stdout, stderr)
		}
	})

	t.Run("PG variables", func(t *testing.T) {
		e := map[string]string{"DATABASE_URL": "", "PGHOST": "127.0.0.1", "PGPORT": fmt.Sprint(s.Port), "PGUSER": "loader",
			"PGPASSWORD": secret, "PGDATABASE": "postgres", "PGSSLMODE": "disable"}
		code, stdout, stderr := runExport(t, e, "load", "--schema", "BI figures", out)
		if code != 0 || !strings.Contains(stderr, `into schema BI figures of postgres (load 1,`) {
			t.Errorf("exit %d: %s%s", code, stdout, stderr)
		}
		noSecret(t, secret, stdout, stderr)
		if got := s.Psql(t, `SELECT count(*) FROM "BI figures".figures`); got != "3" {
			t.Errorf("figures: %s rows", got)
		}
		e["PGPASSWORD"] = "not-" + secret
		code, stdout, stderr = runExport(t, e, "load", "--schema", "pg_vars_fault", out)
		if code != 2 || !strings.Contains(stderr, "password authentication failed") {
			t.Errorf("a wrong PGPASSWORD: exit %d: %s", code, stderr)
		}
		noSecret(t, "not-"+secret, stdout, stderr)
		e["PGPORT"] = "notaport"
		code, _, stderr = runExport(t, e, "load", "--schema", "pg_vars_fault", out)
		if code != 2 || !strings.Contains(stderr, "the PG* variables") {
			t.Errorf("a bad PGPORT: exit %d: %s", code, stderr)
		}
	})

	faults := []struct {
		name, url string
		want      string // in the one line on stderr
	}{
		{"unreachable", fmt.Sprintf("postgres://loader:%s@127.0.0.1:1/postgres?connect_timeout=5", secret), "cannot connect"},
		{"wrong password", "postgres://loader:not-" + secret + "@" + base, "password authentication failed"},
		{"no privilege", "postgres://reader:" + secret + "@" + base, "permission denied"},
		{"bad URL", "postgres://loader:" + secret + "@127.0.0.1:notaport/x", "--postgres"},
		{"wrong password, key=value", fmt.Sprintf("host=127.0.0.1 port=%d dbname=postgres user=loader password=not-%s sslmode=disable", s.Port, secret),
			"password authentication failed"},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			code, stdout, stderr := runExport(t, env, "load", "--postgres", f.url, "--schema", "fault", out)
			if code != 2 || strings.Count(stderr, "\n") > 2 || !strings.Contains(stderr, f.want) {
				t.Errorf("exit %d, stderr %q; want 2 and a line with %q", code, stderr, f.want)
			}
			noSecret(t, secret, stdout, stderr)
			if got := s.Psql(t, `SELECT count(*) FROM pg_namespace WHERE nspname = 'fault'`); got != "0" {
				t.Error("the failed load left the schema")
			}
		})
	}
	t.Run("changed file", func(t *testing.T) {
		changed := filepath.Join(t.TempDir(), "changed")
		if err := os.CopyFS(changed, os.DirFS(out)); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(changed, "sources.csv"), []byte("id\n"), 0o644)
		code, _, stderr := runExport(t, env, "load", "--postgres", s.URL(), "--schema", "fault", changed)
		if code != 2 || !strings.Contains(stderr, "sources.csv changed since export wrote it") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("print-sql", func(t *testing.T) {
		code, stdout, _ := runExport(t, env, "load", "--print-sql", "--schema", "x")
		if code != 0 || !strings.Contains(stdout, `CREATE TABLE IF NOT EXISTS "x"."investment_totals"`) {
			t.Errorf("exit %d: %.300s", code, stdout)
		}
		// As a DBA would run it, twice.
		for range 2 {
			s.Psql(t, stdout)
		}
		if got := s.Psql(t, `SELECT count(*) FROM pg_tables WHERE schemaname = 'x'`); got != fmt.Sprint(len(sqltables.Tables())+1) {
			t.Errorf("the DDL made %s tables", got)
		}
	})
}

// The disk fills up while figures.sqlite is written: exit 2 with one
// clear line, the previous outputs untouched, no stage left.
func TestFaultDiskFullSQLite(t *testing.T) {
	heavy(t)
	data := generated(t, 20_000)
	if os.Geteuid() != 0 {
		mountTmpfs(t, "size=1m") // skips loudly
	}
	for _, size := range []string{"2m", "6m"} {
		mnt := mountTmpfs(t, "size="+size)
		tmp := t.TempDir()
		out := filepath.Join(mnt, "out")
		before := previous(t, out, "--formats", "sqlite")
		code, _, stderr := runBin(t, tmp, "run", "--formats", "sqlite", "-o", out, data)
		if code != 2 {
			t.Fatalf("disk of %s: exit %d, want 2: %s", size, code, stderr)
		}
		oneLine(t, stderr, "full")
		if got := tree(t, out); !equalTrees(got, before) {
			t.Errorf("disk of %s: the output directory changed: %v", size, names(got))
		}
		clean(t, mnt, tmp)
	}
}

// TestLoadInterrupted: Ctrl-C while export load waits for the server exits
// 2 saying that nothing was loaded (the load is one transaction), not that
// nothing was written. The server is a listener that accepts and never
// answers, so the signal finds the load waiting.
func TestLoadInterrupted(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := exec(t, "run", "--quiet", "-o", out); code != 0 {
		t.Fatalf("run: exit %d %s", code, stderr)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	url := fmt.Sprintf("postgres://someone@%s/db?sslmode=disable", ln.Addr())
	p := start(t, t.TempDir(), "load", "--postgres", url, out)
	select {
	case c := <-accepted:
		defer c.Close()
	case <-time.After(time.Minute):
		t.Fatalf("export load never connected\nstderr: %s", p.stderr.String())
	}
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 2 {
		t.Errorf("exit %d, want 2\nstderr: %s", code, p.stderr.String())
	}
	if got := p.stderr.String(); got != "econ-export: interrupted; nothing was loaded\n" {
		t.Errorf("stderr %q", got)
	}
}
