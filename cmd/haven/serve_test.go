package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMetricsAddressTaken checks that a taken default metrics address only
// turns metrics off, while a taken address asked for stops the server.
func TestMetricsAddressTaken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	_, err = runMain(db, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", taken.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "--metrics-addr") {
		t.Errorf("serve on a taken --metrics-addr: %v, want a refusal", err)
	}

	// Hold the default address, if nobody else does already.
	if l, err := net.Listen("tcp", "127.0.0.1:9464"); err == nil {
		defer l.Close()
	}
	var logs syncWriter
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Stdin: strings.NewReader(""), Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}) }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "haven is serving") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve with the default metrics address taken: %v", err)
	}
	if !strings.Contains(logs.String(), "metrics are off") {
		t.Errorf("no warning that metrics are off:\n%s", logs.String())
	}
}

// syncWriter is a buffer that goroutines may write and read at once.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
