package sqlstore

import "haven"

// The services below each keep one concern of Haven's data in the
// database, beside DirectoryService and ResourceService; DB itself only
// opens, migrates, checks and closes the database.

// AccountService keeps accounts and sessions.
type AccountService struct{ db *DB }

// NewAccountService returns the account service of db.
func NewAccountService(db *DB) *AccountService { return &AccountService{db: db} }

// AuditService reads the audit trail.
type AuditService struct{ db *DB }

// NewAuditService returns the audit trail of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// SuggestionService keeps the moderation queue.
type SuggestionService struct{ db *DB }

// NewSuggestionService returns the moderation queue of db.
func NewSuggestionService(db *DB) *SuggestionService { return &SuggestionService{db: db} }

// LearningService keeps the learning pages.
type LearningService struct{ db *DB }

// NewLearningService returns the learning pages of db.
func NewLearningService(db *DB) *LearningService { return &LearningService{db: db} }

// ScreeningRecordService keeps sealed screening records.
type ScreeningRecordService struct{ db *DB }

// NewScreeningRecordService returns the screening records of db.
func NewScreeningRecordService(db *DB) *ScreeningRecordService {
	return &ScreeningRecordService{db: db}
}

// CurationService counts what needs curators, and keeps link checks.
type CurationService struct{ db *DB }

// NewCurationService returns the curation service of db.
func NewCurationService(db *DB) *CurationService { return &CurationService{db: db} }

// JobService runs jobs once among the servers sharing db.
type JobService struct{ db *DB }

// NewJobService returns the job runner of db.
func NewJobService(db *DB) *JobService { return &JobService{db: db} }

// CountryService keeps country summaries.
type CountryService struct{ db *DB }

// NewCountryService returns the country summaries of db.
func NewCountryService(db *DB) *CountryService { return &CountryService{db: db} }

var (
	_ haven.AccountService         = (*AccountService)(nil)
	_ haven.AccountSecurityService = (*AccountService)(nil)
	_ haven.AuditService           = (*AuditService)(nil)
	_ haven.SuggestionService      = (*SuggestionService)(nil)
	_ haven.LearningService        = (*LearningService)(nil)
	_ haven.ScreeningRecordService = (*ScreeningRecordService)(nil)
	_ haven.CurationService        = (*CurationService)(nil)
	_ haven.LinkService            = (*CurationService)(nil)
	_ haven.JobService             = (*JobService)(nil)
	_ haven.CountryService         = (*CountryService)(nil)
	_ haven.DirectoryService       = (*DirectoryService)(nil)
	_ haven.DirectoryEditor        = (*DirectoryService)(nil)
	_ haven.TakedownService        = (*DirectoryService)(nil)
	_ haven.ResourceService        = (*ResourceService)(nil)
	_ haven.ResourceEditor         = (*ResourceService)(nil)
)
