package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"haven"
	"haven/auth"
	"haven/sqlstore"
)

func userCommand() *command {
	return &command{
		name:    "user",
		summary: "add accounts for curators, screeners and admins",
		usage:   "add --role admin|curator|screener EMAIL",
		help: `"user add" creates an account. It asks for the password twice without
showing it; when standard input is not a terminal it reads one line from it
instead, for scripts. Passwords need at least 12 characters and must not be
a common one.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			role := fs.String("role", "", "admin (manages accounts and curates), curator (edits the library and directory) or screener (uses the screening tool)")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 2 || args[0] != "add" {
					return fmt.Errorf("usage: haven user add --role admin|curator|screener EMAIL")
				}
				if !haven.ValidRole(*role) {
					return fmt.Errorf("--role must be admin, curator or screener")
				}
				email, err := haven.NormalizeEmail(args[1])
				if err != nil {
					return err
				}
				pw, err := m.readPassword()
				if err != nil {
					return err
				}
				if err := auth.CheckPasswordPolicy(pw); err != nil {
					return err
				}
				hash, err := auth.HashPassword(pw, auth.DefaultParams)
				if err != nil {
					return err
				}
				store, err := m.openDB(ctx, db)
				if err != nil {
					return err
				}
				defer store.Close()
				if err := sqlstore.NewAccountService(store).CreateUser(ctx, "cli", &haven.User{Email: email, Role: *role, PasswordHash: hash}); err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "added %s as %s\n", email, *role)
				return nil
			}
		},
	}
}

// readPassword asks twice on a terminal, without echo; otherwise it reads
// the first line of standard input.
func (m *Main) readPassword() (string, error) {
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(m.Stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(m.Stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", fmt.Errorf("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(m.Stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("no password on standard input")
	}
	return line, nil
}
