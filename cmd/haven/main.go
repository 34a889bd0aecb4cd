// Command haven runs Haven: the web site and API, and the tools that look
// after its data. Run "haven help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"haven"
)

// command is one subcommand of haven.
type command struct {
	name    string
	summary string
	usage   string // arguments after the name
	help    string // longer text shown by "haven CMD --help"
	flags   func(fs *flag.FlagSet) func(ctx context.Context, m *Main, args []string) error
}

// Main holds what every command shares: its output streams and logger.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	Logger *slog.Logger
	// SetMemoryLimit bounds the process's Go heap (debug.SetMemoryLimit),
	// as an import asks; nil leaves it alone, as in tests, where many
	// commands share one process.
	SetMemoryLimit func(int64) int64

	// linksAllowPrivate lets the scheduled link check visit loopback and
	// private addresses (serve --links-allow-private).
	linksAllowPrivate bool
	// feeds are the politeness settings of scheduled feed syncs.
	feeds *feedFlags
}

func commands() []*command {
	return []*command{serveCommand(), importCommand(), exportCommand(), backupCommand(), restoreCommand(), sampleCommand(), userCommand(), linksCommand(), screeningCommand(), keysCommand(), resourcesCommand(), countriesCommand(), searchCommand(), providersCommand(), feedsCommand(), matchesCommand(), mergeCommand(), unmergeCommand(), capacityCommand(), migrateCommand(), versionCommand()}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Logger: newLogger(os.Stderr), SetMemoryLimit: debug.SetMemoryLimit}
	stopProfiles := startProfiles(m.Logger)
	err := m.Run(ctx, os.Args[1:])
	stopProfiles()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "haven:", errorText(err))
		os.Exit(1)
	}
}

// newLogger logs text to a terminal and JSON elsewhere, for log collectors.
func newLogger(w *os.File) *slog.Logger {
	if term.IsTerminal(int(w.Fd())) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return m.Run(ctx, []string{args[1], "--help"})
		}
		m.usage(m.Stdout)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return m.runCommand(ctx, c, args[1:])
		}
	}
	m.usage(m.Stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprint(w, `Haven: resources, providers and help for people who serve victims of human trafficking.

Usage:
  haven COMMAND [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "haven help COMMAND" or "haven COMMAND --help" for a command's flags.
Start with "haven serve" and open http://127.0.0.1:8080/.
`)
}

func (m *Main) runCommand(ctx context.Context, c *command, args []string) error {
	fs := flag.NewFlagSet("haven "+c.name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	run := c.flags(fs)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: haven %s %s\n\n%s\n", c.name, c.usage, strings.TrimSpace(c.help))
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(m.Stdout)
			fs.Usage()
			return flag.ErrHelp
		}
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	return run(ctx, m, pos)
}

// parseInterspersed parses flags wherever they stand among the arguments, so
// that `haven search "T visa" --json` works as well as `haven search --json
// "T visa"`. A lone "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// dbConfig is where a command finds its database.
type dbConfig struct {
	dsn, read        string
	maxConns         int
	statementTimeout time.Duration
}

// display names the database for messages, without a password.
func (c *dbConfig) display() string {
	if u, err := url.Parse(c.dsn); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return c.dsn
}

// dbFlag adds the database flags every data command takes.
func dbFlag(fs *flag.FlagSet) *dbConfig {
	c := &dbConfig{}
	fs.StringVar(&c.dsn, "db", envOr("HAVEN_DB", "haven.db"),
		"database: an SQLite file path (created if missing), or a postgres:// URL (sslmode and other settings in the URL); env HAVEN_DB")
	fs.StringVar(&c.read, "db-read", envOr("HAVEN_DB_READ", ""),
		"PostgreSQL only: a read replica's URL; searches and page reads go there; env HAVEN_DB_READ")
	fs.IntVar(&c.maxConns, "db-max-conns", 16, "PostgreSQL only: connections in each pool")
	fs.DurationVar(&c.statementTimeout, "db-statement-timeout", 30*time.Second, "PostgreSQL only: longest a statement may run (0 for no limit)")
	return c
}

// errorText is what the operator sees: an application error's message, or
// the full error for anything else, since the operator may need its detail.
func errorText(err error) string {
	var e *haven.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
