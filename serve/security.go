package serve

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"sync"
	"time"
)

// TokenBytes is the size of a unit's link token: 192 random bits.
const TokenBytes = 24

// NewToken returns a fresh secret: n random bytes, base64url without padding.
func NewToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on a supported platform
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashHex is the SHA-256 of s in hex: what the store keeps of a session id,
// and how a token is looked up without comparing the secret byte by byte.
func hashHex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// tokenTable finds a unit by its token. The lookup goes through the token's
// hash, and the token found is then compared in constant time, so neither
// step tells an attacker how much of a guess was right.
type tokenTable struct {
	mu     sync.RWMutex
	byHash map[string]tokenEntry
}

type tokenEntry struct {
	token, unit string
}

func newTokenTable() *tokenTable { return &tokenTable{byHash: map[string]tokenEntry{}} }

func (t *tokenTable) set(unit, token string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for h, e := range t.byHash {
		if e.unit == unit {
			delete(t.byHash, h)
		}
	}
	t.byHash[hashHex(token)] = tokenEntry{token: token, unit: unit}
}

// unit returns the unit the token belongs to, or "".
func (t *tokenTable) unit(token string) string {
	if len(token) < 16 || len(token) > 128 {
		return ""
	}
	t.mu.RLock()
	e, ok := t.byHash[hashHex(token)]
	t.mu.RUnlock()
	if !ok || subtle.ConstantTimeCompare([]byte(e.token), []byte(token)) != 1 {
		return ""
	}
	return e.unit
}

// forms hands out one-time form tokens (CSRF): each form rendered carries a
// fresh token bound to who it was rendered for (a unit, or an office
// session); a post must bring one back, and each is good once, so a form
// replayed — or forged from another site — is refused.
type forms struct {
	mu     sync.Mutex
	now    func() time.Time
	ttl    time.Duration
	max    int // outstanding tokens per subject; the oldest go first
	tokens map[string]formToken
	bySubj map[string][]string
}

type formToken struct {
	subject string
	expires time.Time
}

func newForms(now func() time.Time) *forms {
	return &forms{now: now, ttl: 4 * time.Hour, max: 64, tokens: map[string]formToken{}, bySubj: map[string][]string{}}
}

// issue returns a fresh token for subject.
func (f *forms) issue(subject string) string {
	tok := NewToken(16)
	f.mu.Lock()
	defer f.mu.Unlock()
	list := f.bySubj[subject]
	for len(list) >= f.max {
		delete(f.tokens, list[0])
		list = list[1:]
	}
	f.tokens[tok] = formToken{subject: subject, expires: f.now().Add(f.ttl)}
	f.bySubj[subject] = append(list, tok)
	return tok
}

// use consumes tok and reports whether it was issued to subject and is
// still good.
func (f *forms) use(subject, tok string) bool {
	if tok == "" {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ft, ok := f.tokens[tok]
	if !ok {
		return false
	}
	delete(f.tokens, tok)
	list := f.bySubj[ft.subject]
	for i, t := range list {
		if t == tok {
			f.bySubj[ft.subject] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(f.bySubj[ft.subject]) == 0 {
		delete(f.bySubj, ft.subject)
	}
	return subtle.ConstantTimeCompare([]byte(ft.subject), []byte(subject)) == 1 && f.now().Before(ft.expires)
}

// Limit is a token bucket: Burst at once, then one more every Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// limiter keeps one bucket per key (an address, a token).
type limiter struct {
	mu      sync.Mutex
	lim     Limit
	now     func() time.Time
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(l Limit, now func() time.Time) *limiter {
	return &limiter{lim: l, now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from key's bucket and reports whether there was one.
// A zero Limit allows everything.
func (l *limiter) allow(key string) bool {
	if l.lim.Burst <= 0 || l.lim.Every <= 0 {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	full := time.Duration(l.lim.Burst) * l.lim.Every
	if now.Sub(l.sweep) > full && len(l.buckets) > 1024 {
		for k, b := range l.buckets {
			if now.Sub(b.last) > full {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.lim.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens += float64(now.Sub(b.last)) / float64(l.lim.Every)
	if b.tokens > float64(l.lim.Burst) {
		b.tokens = float64(l.lim.Burst)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// clientAddr is the request's remote IP address. Headers such as
// X-Forwarded-For are not trusted: anyone can send them.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secure sets the headers every response carries: no script, style or
// frame from elsewhere, no sniffing, and no Referer, since a unit's link is
// its secret.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}
