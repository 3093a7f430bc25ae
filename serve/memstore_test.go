package serve

import (
	"errors"
	"sync"
	"time"

	"planrep/store"
)

// memStore is an in-memory Store for the handlers' tests.
type memStore struct {
	mu       sync.Mutex
	tokens   map[string]store.UnitToken
	password string
	sessions map[string]store.Session
	subs     []store.Submission
	data     map[int64][]byte
	reviews  []store.Review
	audit    []store.AuditEntry
}

func newMemStore() *memStore {
	return &memStore{tokens: map[string]store.UnitToken{}, sessions: map[string]store.Session{}, data: map[int64][]byte{}}
}

func (m *memStore) UnitTokens() ([]store.UnitToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.UnitToken
	for _, t := range m.tokens {
		out = append(out, t)
	}
	return out, nil
}

func (m *memStore) SetUnitToken(t store.UnitToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[t.Unit] = t
	return nil
}

func (m *memStore) AdminPassword() (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.password, nil
}

func (m *memStore) SetAdminPassword(h string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.password = h
	return nil
}

func (m *memStore) AddSession(s store.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.IDHash] = s
	return nil
}

func (m *memStore) Session(h string) (store.Session, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[h]
	return s, ok, nil
}

func (m *memStore) DeleteSession(h string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, h)
	return nil
}

func (m *memStore) AddSubmission(s *store.Submission, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.ID = int64(len(m.subs) + 1)
	s.Seq = 1
	for _, x := range m.subs {
		if x.Period == s.Period && x.Unit == s.Unit {
			s.Seq++
		}
	}
	m.subs = append(m.subs, *s)
	m.data[s.ID] = append([]byte(nil), data...)
	return nil
}

func (m *memStore) Submissions(period string) ([]store.Submission, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Submission
	for _, x := range m.subs {
		if x.Period == period {
			out = append(out, x)
		}
	}
	return out, nil
}

func (m *memStore) UnitSubmissions(period, unit string) ([]store.Submission, error) {
	all, _ := m.Submissions(period)
	var out []store.Submission
	for _, x := range all {
		if x.Unit == unit {
			out = append(out, x)
		}
	}
	return out, nil
}

func (m *memStore) SubmissionData(id int64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.data[id]
	if !ok {
		return nil, errors.New("no such submission")
	}
	return d, nil
}

func (m *memStore) AddReview(r *store.Review) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.ID = int64(len(m.reviews) + 1)
	m.reviews = append(m.reviews, *r)
	return nil
}

func (m *memStore) Reviews(period string) ([]store.Review, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Review
	for _, r := range m.reviews {
		if r.Period == period {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) AddAudit(e store.AuditEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.ID = int64(len(m.audit) + 1)
	m.audit = append(m.audit, e)
	return nil
}
