package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"

	"haven"
	"haven/hsds"
	"haven/i18n"
	"haven/intake"
	"haven/sample"
)

var _ haven.ImportService = (*DirectoryService)(nil)

// ImportSheet reads a coalition's spreadsheet and imports it with Import,
// in one transaction (see haven.ImportService). Categories map to the terms
// of Haven's taxonomy the directory holds, and to the built-in ones it
// does not hold yet.
func (d *DirectoryService) ImportSheet(ctx context.Context, req haven.SheetImport) (*haven.SheetResult, error) {
	opt := req.Options
	if opt.Name == "" {
		opt.Name = req.Name
	}
	var err error
	if opt.Terms, opt.Taxonomy, err = d.categoryTerms(ctx); err != nil {
		return nil, err
	}
	opt.TermNames = i18n.CategoryLabels(termCodes(opt.Terms))
	sh, err := intake.OpenSheet(req.Path, opt)
	if err != nil {
		return nil, haven.Errorf(haven.EINVALID, "%s", err)
	}
	name := opt.Name
	if name == "" {
		name = filepath.Base(req.Path)
	}
	res := &haven.SheetResult{Report: sh.Report()}
	// Import reads ahead on another goroutine, which may still be in Next
	// when Import returns early: the lock keeps Close from pulling the
	// file from under it.
	var mu sync.Mutex
	closed := false
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		closed = true
		sh.Close()
	}()
	fromSheet := map[*hsds.FieldError]bool{} // rows the reader refused
	next := func() (*hsds.Service, error) {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return nil, io.EOF
		}
		s, err := sh.Next()
		var bad hsds.Errors
		if errors.As(err, &bad) && len(bad) > 0 {
			fromSheet[bad[0]] = true
		}
		if err == nil && len(res.First) < req.Keep {
			res.First = append(res.First, s)
		}
		if req.Progress != nil {
			done, total := sh.Progress()
			req.Progress(done, total, sh.Table().Read)
		}
		return s, err
	}
	if req.DryRun {
		for {
			_, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			var bad hsds.Errors
			if errors.As(err, &bad) && req.SkipInvalid {
				continue
			}
			if err != nil {
				return nil, sheetError(err)
			}
		}
		mu.Lock()
		res.Counts = sh.Counts()
		mu.Unlock()
		return res, nil
	}
	rep, err := d.Import(ctx, next, ImportOptions{Name: name, SkipInvalid: req.SkipInvalid, Actor: req.Actor, Validated: true})
	if err != nil {
		return nil, sheetError(err)
	}
	mu.Lock()
	defer mu.Unlock()
	res.Counts, res.Written = sh.Counts(), true
	// What the database refused beyond the rows the reader refused (a
	// public copy over a confidential address, say) is reported too.
	tab := sh.Table()
	for _, e := range rep.Skipped {
		var bad hsds.Errors
		if errors.As(e, &bad) && len(bad) > 0 && fromSheet[bad[0]] {
			continue
		}
		tab.Skip(e.Error(), "")
		tab.Imported--
		res.Report.Services--
		res.Counts.Services--
	}
	return res, nil
}

// sheetError makes a row the import cannot take an EINVALID error that
// names the file, the row and the column; anything else stays as it is.
func sheetError(err error) error {
	var fe *hsds.FieldError
	if errors.As(err, &fe) {
		return haven.Errorf(haven.EINVALID, "nothing was imported: %s", err)
	}
	return err
}

// categoryTerms returns the terms of Haven's taxonomy a spreadsheet's
// categories may map to: those the directory holds, then the built-in ones
// it lacks; and the taxonomy itself when the directory does not hold it
// yet, to be created with the first term.
func (d *DirectoryService) categoryTerms(ctx context.Context) ([]hsds.TaxonomyTerm, *hsds.Taxonomy, error) {
	held, _, err := d.ListTaxonomyTerms(ctx, haven.TermFilter{TaxonomyID: haven.CategoryTaxonomyID, Limit: 10_000})
	if err != nil {
		return nil, nil, fmt.Errorf("taxonomy terms: %w", err)
	}
	var terms []hsds.TaxonomyTerm
	have := map[string]bool{}
	for _, t := range held {
		terms = append(terms, *t)
		have[t.Code] = true
	}
	tax, builtin := sample.Taxonomy()
	for _, t := range builtin {
		if !have[t.Code] {
			terms = append(terms, t)
		}
	}
	if _, err := d.FindTaxonomyByID(ctx, haven.CategoryTaxonomyID); haven.ErrorCode(err) == haven.ENOTFOUND {
		return terms, &tax, nil
	} else if err != nil {
		return nil, nil, err
	}
	return terms, nil, nil
}

func termCodes(terms []hsds.TaxonomyTerm) []string {
	codes := make([]string, len(terms))
	for i, t := range terms {
		codes[i] = t.Code
	}
	return codes
}
