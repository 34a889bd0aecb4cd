package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL a bulk import writes its buffered rows with COPY, which the
// server takes several times faster than INSERTs of the same rows. COPY
// knows no ON CONFLICT: a row whose id is already there (an object the
// input repeats under the same id) fails the COPY with a unique violation.
// Each flush therefore runs under a savepoint, and one that meets a
// conflict is rolled back and written again with the INSERTs, which update
// such rows as they would outside bulk mode; COPY is not tried again.

// beginImport starts the transaction of an import. On PostgreSQL it holds
// its connection apart, so that COPY can reach the driver under the
// transaction; release returns the connection to the pool.
func (db *DB) beginImport(ctx context.Context) (tx *Tx, release func(), err error) {
	if !db.dialect.copy {
		tx, err := db.BeginTx(ctx, false)
		return tx, func() {}, err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	tx = &Tx{Tx: sqlTx, db: db, ctx: ctx, now: db.Now().UTC().Truncate(time.Second), conn: conn}
	return tx, func() { sqlTx.Rollback(); conn.Close() }, nil
}

var columnList = regexp.MustCompile(`(?s)^\s*INSERT INTO [a-z_]+ \((.*?)\)\s*VALUES`)

// copyColumns returns the columns a buffered INSERT writes, when COPY can
// write its rows instead: each value a bare parameter, in order.
func copyColumns(buf *bulkBuf) []string {
	m := columnList.FindStringSubmatch(buf.head)
	if m == nil || !inOrder(buf.row, buf.params) {
		return nil
	}
	bare := placeholder.ReplaceAllString(buf.row, "")
	if strings.Trim(bare, "(), \n\t") != "" {
		return nil // expressions around the parameters
	}
	cols := strings.Split(m[1], ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	if len(cols) != buf.params {
		return nil
	}
	return cols
}

// copyRows writes a buffer's rows with COPY.
func (tx *Tx) copyRows(ctx context.Context, buf *bulkBuf) error {
	rows := make([][]any, 0, len(buf.args)/buf.params)
	for a := buf.args; len(a) > 0; a = a[buf.params:] {
		rows = append(rows, a[:buf.params])
	}
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs the pgx driver, not %T", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{buf.table}, buf.columns, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("copy %d rows into %s: %w", len(rows), buf.table, err)
		}
		return nil
	})
}

// flushCopy writes every buffer with COPY under a savepoint, and reports
// conflict when a row was already there: the caller then writes them again
// with INSERTs.
func (tx *Tx) flushCopy(ctx context.Context) (conflict bool, err error) {
	if _, err := tx.Tx.ExecContext(ctx, `SAVEPOINT bulk_copy`); err != nil {
		return false, err
	}
	for _, buf := range tx.bulk.order {
		if len(buf.args) == 0 {
			continue
		}
		if buf.columns == nil {
			err = tx.flushBuf(ctx, buf)
		} else {
			err = tx.copyRows(ctx, buf)
		}
		if err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
				if _, rerr := tx.Tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT bulk_copy`); rerr != nil {
					return false, errors.Join(err, rerr)
				}
				return true, nil
			}
			return false, err
		}
	}
	_, err = tx.Tx.ExecContext(ctx, `RELEASE SAVEPOINT bulk_copy`)
	return false, err
}
