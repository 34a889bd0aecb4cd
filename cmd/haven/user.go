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
		summary: "add accounts for curators, screeners and admins, set passwords, reset second factors",
		usage:   "add --role admin|curator|records-supervisor|screener|provider EMAIL | password EMAIL | reset-2fa EMAIL",
		help: `"user add" creates an account. It asks for the password twice without
showing it; when standard input is not a terminal it reads one line from it
instead, for scripts. Passwords need at least 12 characters and must not be
a common one.

"user password" sets a new password for an account, read the same way, and
ends every session of the account: use it when a password is forgotten or
may be known to someone else.

"user reset-2fa" removes an account's second factor (TOTP) and recovery
codes, and ends its sessions, for someone who lost their phone. They sign in
with their password alone and, when the site requires it, set up a new one
at once.

Each is recorded in the audit trail under "cli".`,
		flags: func(fs *flag.FlagSet) func(context.Context, *Main, []string) error {
			db := dbFlag(fs)
			role := fs.String("role", "", "for add: admin (manages accounts and curates), curator (edits the library and directory), records-supervisor (reads saved screening records), screener (uses the screening tool) or provider (keeps the listings of the organizations a curator ties it to)")
			return func(ctx context.Context, m *Main, args []string) error {
				if len(args) != 2 {
					return fmt.Errorf("usage: haven user add --role admin|curator|records-supervisor|screener|provider EMAIL, haven user password EMAIL or haven user reset-2fa EMAIL")
				}
				if args[0] != "add" && *role != "" {
					return fmt.Errorf("--role goes with \"user add\" only")
				}
				email, err := haven.NormalizeEmail(args[1])
				if err != nil {
					return err
				}
				switch args[0] {
				case "add":
					return userAdd(ctx, m, db, *role, email)
				case "password":
					return userPassword(ctx, m, db, email)
				case "reset-2fa":
					return userResetSecondFactor(ctx, m, db, email)
				}
				return fmt.Errorf("unknown user command %q: use add, password or reset-2fa", args[0])
			}
		},
	}
}

func userAdd(ctx context.Context, m *Main, db *dbConfig, role, email string) error {
	if !haven.ValidRole(role) {
		return fmt.Errorf("--role must be admin, curator, records-supervisor, screener or provider")
	}
	hash, err := m.readNewPassword()
	if err != nil {
		return err
	}
	store, err := m.openDB(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := sqlstore.NewAccountService(store).CreateUser(ctx, "cli", &haven.User{Email: email, Role: role, PasswordHash: hash}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "added %s as %s\n", email, role)
	return nil
}

// userPassword sets a new password and ends every session of the account.
func userPassword(ctx context.Context, m *Main, db *dbConfig, email string) error {
	hash, err := m.readNewPassword()
	if err != nil {
		return err
	}
	store, err := m.openDB(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	accounts := sqlstore.NewAccountService(store)
	u, err := accounts.FindUserByEmail(ctx, email)
	if err != nil {
		return fmt.Errorf("no account for %s", email)
	}
	if err := accounts.ChangePassword(ctx, "cli", u.ID, hash, ""); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "set a new password for %s and ended its sessions\n", email)
	return nil
}

// userResetSecondFactor removes the account's second factor and ends its
// sessions.
func userResetSecondFactor(ctx context.Context, m *Main, db *dbConfig, email string) error {
	store, err := m.openDB(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	accounts := sqlstore.NewAccountService(store)
	u, err := accounts.FindUserByEmail(ctx, email)
	if err != nil {
		return fmt.Errorf("no account for %s", email)
	}
	if err := accounts.ResetSecondFactor(ctx, "cli", u.ID, true); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "removed the second factor of %s and ended its sessions; they sign in with their password and can set up a new one at /account/2fa\n", email)
	return nil
}

// readNewPassword reads a password, checks it against the policy and
// hashes it.
func (m *Main) readNewPassword() (string, error) {
	pw, err := m.readPassword()
	if err != nil {
		return "", err
	}
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	return auth.HashPassword(pw, auth.DefaultParams)
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
