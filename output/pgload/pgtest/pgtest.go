// Package pgtest starts a throwaway PostgreSQL server for tests: Debian's
// postgresql package (initdb and pg_ctl, as the postgres user when the
// tests run as root, which initdb refuses), in a temporary directory,
// listening on a free loopback port. No Docker, no download. Without
// PostgreSQL the test skips with a message, or fails when
// EXPORT_REQUIRE_INTEROP=1 (as CI sets it).
package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Server is a running throwaway server. Its user postgres logs in over
// TCP without a password; LoginRole makes roles that need one.
type Server struct {
	Dir  string
	Port int
	bin  string
}

// URL is the connection URL of the server's postgres user and database.
func (s *Server) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port)
}

// bindir finds the newest installed server's binaries.
func bindir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

// Missing skips the test with a message seen without -v, or fails it
// when EXPORT_REQUIRE_INTEROP=1.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("EXPORT_REQUIRE_INTEROP") == "1" {
		t.Fatalf("EXPORT_REQUIRE_INTEROP=1, but %s", msg)
	}
	fmt.Fprintf(os.Stderr, "WARNING: %s SKIPPED: %s\n", t.Name(), msg)
	t.Skip("SKIPPED, NOT RUN: " + msg)
}

// Start starts a server that the test's cleanup stops and removes.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := bindir()
	if bin == "" {
		Missing(t, "PostgreSQL is not installed (apt-get install postgresql)")
	}
	if _, err := exec.LookPath("psql"); err != nil {
		Missing(t, "psql is not installed (apt-get install postgresql-client)")
	}
	// Not t.TempDir: its parent is 0700 and root's, which the postgres
	// user cannot enter.
	dir, err := os.MkdirTemp("", "export-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Dir: dir, bin: bin}
	t.Cleanup(func() {
		s.run("pg_ctl", "-D", s.data(), "-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	if err := s.chown(dir); err != nil {
		t.Fatal(err)
	}
	if out, err := s.run("initdb", "-D", s.data(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	// Over TCP, postgres logs in without a password; every other role
	// with one (the tests of a wrong password and of privileges).
	hba := "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(s.data(), "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.chown(filepath.Join(s.data(), "pg_hba.conf")); err != nil {
		t.Fatal(err)
	}
	for try := 0; ; try++ {
		s.Port = freePort(t)
		opts := fmt.Sprintf("-k %s -c listen_addresses=127.0.0.1 -p %d -c fsync=off -c synchronous_commit=off -c full_page_writes=off", dir, s.Port)
		out, err := s.run("pg_ctl", "-D", s.data(), "-l", filepath.Join(dir, "log"), "-w", "-o", opts, "start")
		if err == nil {
			break
		}
		if try == 2 {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
		}
	}
	return s
}

func (s *Server) data() string { return filepath.Join(s.Dir, "data") }

// run runs a server binary, as the postgres user when this is root.
func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, and there is no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		cmd.Dir = s.Dir
	}
	return cmd.CombinedOutput()
}

func (s *Server) chown(path string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(path, uid, gid)
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Psql runs SQL through psql as the postgres user, as a BI tool's query
// would reach the server, and returns its unaligned output (fields joined
// by |, no header).
func (s *Server) Psql(t testing.TB, sql string) string {
	t.Helper()
	out, err := exec.Command("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", s.URL(), "-c", sql).CombinedOutput()
	if err != nil {
		t.Fatalf("psql -c %q: %v\n%s", sql, err, out)
	}
	return strings.TrimRight(string(out), "\n")
}
