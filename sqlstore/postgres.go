package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"haven"
)

// migrationLock is the PostgreSQL advisory lock key held while migrating,
// so that servers starting together apply each migration once.
const migrationLock = 0x6861_7665 // "have"

// openPostgres opens the primary pool and, when given, the replica pool.
func openPostgres(ctx context.Context, dsn string, opt Options) (*DB, error) {
	db := &DB{dialect: postgresDialect, dsn: dsn, Now: time.Now}
	var err error
	if db.write, err = postgresPool(dsn, opt); err != nil {
		return nil, err
	}
	db.read = db.write
	if opt.ReadDSN != "" {
		if db.read, err = postgresPool(opt.ReadDSN, opt); err != nil {
			db.write.Close()
			return nil, err
		}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.write.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, haven.Errorf(haven.EUNAVAILABLE, "cannot reach PostgreSQL at %s: %v", redact(dsn), err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(dsn), err)
	}
	return db, nil
}

func postgresPool(dsn string, opt Options) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, haven.Errorf(haven.EINVALID, "bad PostgreSQL URL %s: %v", redact(dsn), err)
	}
	// pgx caches prepared statements; after five runs PostgreSQL may switch
	// such a statement to a generic plan that ignores the filter values,
	// which made filtered searches 2-7x slower. Plan every run afresh.
	if _, ok := cfg.RuntimeParams["plan_cache_mode"]; !ok {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	if _, ok := cfg.RuntimeParams["statement_timeout"]; !ok {
		switch {
		case opt.StatementTimeout > 0:
			cfg.RuntimeParams["statement_timeout"] = fmt.Sprint(opt.StatementTimeout.Milliseconds())
		case opt.StatementTimeout == 0:
			cfg.RuntimeParams["statement_timeout"] = "30000"
		}
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "haven"
	}
	pool := stdlib.OpenDB(*cfg)
	n := opt.MaxOpenConns
	if n <= 0 {
		n = 16
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	// Recycle connections now and then, so a failover or a restarted
	// replica is picked up without restarting Haven.
	pool.SetConnMaxLifetime(30 * time.Minute)
	return pool, nil
}

// redact hides the password of a URL for logs and errors.
func redact(dsn string) string {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "(unparseable URL)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// lockMigrations holds PostgreSQL's migration lock until the returned
// function is called. SQLite needs none: its write transaction locks the file.
func (db *DB) lockMigrations(ctx context.Context) (func(), error) {
	if !db.dialect.locks {
		return func() {}, nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		conn.Close()
		return nil, err
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)
		conn.Close()
	}, nil
}
