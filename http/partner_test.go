package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven"
	"haven/internal/testpg"
	"haven/sqlstore"
)

var newTokenField = regexp.MustCompile(`id="new-token" type="text" readonly value="([^"]+)"`)

func partnerGet(s http.Handler, path, token string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// TestPartnerTokens: a curator makes a token, shown once and kept hashed;
// it opens the partner API for its organization, each use audited, within
// its rate; revoked, it opens nothing.
func TestPartnerTokens(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := mustProviderWorld(t, e.Fresh(t))
		s, ctx := w.s, context.Background()
		s.Limits.PartnerRate, s.Limits.PartnerBurst = 0.01, 5
		curator := signIn(t, s, "curator@example.org")
		org := w.mine.OrganizationID
		if r := post(s, "/admin/organizations/"+org+"/tokens", url.Values{"name": {""}}, curator); r.Code != http.StatusBadRequest {
			t.Errorf("a token without a name: %d", r.Code)
		}
		r := post(s, "/admin/organizations/"+org+"/tokens", url.Values{"name": {"Shelter network (sample)"}}, curator)
		m := newTokenField.FindStringSubmatch(r.Body.String())
		if r.Code != 200 || m == nil || !strings.HasPrefix(m[1], haven.APITokenPrefix) || r.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("create: %d, token shown: %v", r.Code, m != nil)
		}
		token := m[1]
		page := get(s, "/admin/organizations/"+org+"/providers", curator).Body.String()
		if strings.Contains(page, token) || !strings.Contains(page, "Shelter network (sample)") {
			t.Error("the token is shown again, or its name is not listed")
		}

		for _, bad := range []string{"", "Basic " + token, haven.APITokenPrefix + "made-up"} {
			req := httptest.NewRequest("GET", "/api/v1/partner/whoami", nil)
			if bad != "" {
				req.Header.Set("Authorization", bad)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("Authorization %q: %d", bad, rec.Code)
			}
		}
		ok := partnerGet(s, "/api/v1/partner/whoami", token)
		var who struct {
			Organization struct{ ID, Name string }
			Token        struct{ ID, Name string }
		}
		if ok.Code != 200 || json.Unmarshal(ok.Body.Bytes(), &who) != nil || who.Organization.ID != org || who.Token.Name != "Shelter network (sample)" {
			t.Fatalf("whoami: %d %s", ok.Code, ok.Body.String())
		}
		trail, _ := sqlstore.NewAuditService(w.db).AuditTrail(ctx, "api_token", who.Token.ID, 0)
		if len(trail) != 2 || trail[1].Action != "api" || trail[1].After != "GET /api/v1/partner/whoami" {
			t.Errorf("use not audited: %+v", trail)
		}
		// Its own rate: the burst, then 429 with Retry-After.
		var last *httptest.ResponseRecorder
		for range 5 {
			last = partnerGet(s, "/api/v1/partner/whoami", token)
		}
		if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" {
			t.Errorf("past the burst: %d", last.Code)
		}
		// Revoked, it opens nothing; another organization cannot revoke it.
		if r := post(s, "/admin/organizations/"+w.other.OrganizationID+"/tokens/"+who.Token.ID+"/revoke", url.Values{}, curator); r.Code != http.StatusNotFound {
			t.Errorf("revoke through another organization: %d", r.Code)
		}
		if r := post(s, "/admin/organizations/"+org+"/tokens/"+who.Token.ID+"/revoke", url.Values{}, curator); r.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.Code)
		}
		tokens, _ := sqlstore.NewProviderService(w.db).ListAPITokens(ctx, org)
		if len(tokens) != 1 || !tokens[0].Revoked() {
			t.Fatalf("tokens: %+v", tokens)
		}
		if _, err := sqlstore.NewProviderService(w.db).UseAPIToken(ctx, "", "x"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("empty hash: %v", err)
		}
	})
}

// TestRevokedTokenRefused: a revoked token gets 401, within its rate.
func TestRevokedTokenRefused(t *testing.T) {
	w := mustProviderWorld(t, t.TempDir()+"/haven.db")
	curator := signIn(t, w.s, "curator@example.org")
	org := w.mine.OrganizationID
	m := newTokenField.FindStringSubmatch(post(w.s, "/admin/organizations/"+org+"/tokens", url.Values{"name": {"Partner (sample)"}}, curator).Body.String())
	if m == nil {
		t.Fatal("no token shown")
	}
	tokens, _ := sqlstore.NewProviderService(w.db).ListAPITokens(context.Background(), org)
	if r := post(w.s, "/admin/organizations/"+org+"/tokens/"+tokens[0].ID+"/revoke", url.Values{}, curator); r.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Code)
	}
	if r := partnerGet(w.s, "/api/v1/partner/whoami", m[1]); r.Code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", r.Code)
	}
}
