package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"planrep/plan"
	"planrep/simulate"
	"planrep/templates"
)

// loadUnits is how many units upload at once in the load test; loadAlone
// more upload one after the other first, for the latency of an upload that
// waits for no other.
const (
	loadUnits = 200
	loadAlone = 12
)

// TestLoad has 200 units hand in real returns at the same moment over
// loopback: every upload must be answered, judged and stored, with the
// stored file's hash equal to the one sent. The latency of each upload is
// logged (p50, p95, max); nothing is asserted on time, only on a bound of
// two minutes for the whole.
func TestLoad(t *testing.T) {
	p := loadPlan(t)
	sp := simulate.Clone(p, (loadUnits+len(p.LeadDepts())-1)/len(p.LeadDepts()))
	all := sp.LeadDepts()
	if len(all) < loadUnits+loadAlone {
		t.Fatalf("%d units in the cloned registry, want %d", len(all), loadUnits+loadAlone)
	}
	units := all[:loadUnits]
	alone := all[loadUnits : loadUnits+loadAlone]

	// Real returns, one a unit, filled by the simulator from the unit's template.
	start := time.Now()
	makers := all[:loadUnits+loadAlone]
	datas := make([][]byte, len(makers))
	errs := make([]error, len(makers))
	sem := make(chan struct{}, 2)
	var made sync.WaitGroup
	for i, u := range makers {
		made.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; made.Done() }()
			errs[i] = func() error {
				f, err := templates.Build(sp, u, tmplOptions())
				if err != nil {
					return err
				}
				defer f.Close()
				if _, err := simulate.Fill(f, sp, simulate.Options{Period: testPeriod, Seed: uint64(i)}, u.Code+".xlsx"); err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := simulate.Save(f, &buf); err != nil {
					return err
				}
				datas[i] = buf.Bytes()
				return nil
			}()
		}()
	}
	made.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d returns made in %v", len(datas), time.Since(start).Round(time.Millisecond))

	e := newLoadEnv(t, sp)
	tr := &http.Transport{MaxIdleConnsPerHost: loadUnits, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// Alone: one upload at a time.
	var single []time.Duration
	for i, u := range alone {
		_, page := e.get(client, "/u/"+e.tokens[u.Code])
		ctype, body := uploadBody(t, csrf(t, page), u.Code+".xlsx", datas[loadUnits+i])
		t0 := time.Now()
		resp, err := client.Post(e.http.URL+"/u/"+e.tokens[u.Code], ctype, body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		single = append(single, time.Since(t0))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s alone: %d", u.Code, resp.StatusCode)
		}
	}
	sort.Slice(single, func(a, b int) bool { return single[a] < single[b] })
	t.Logf("%d uploads one at a time: median %v, max %v", len(single), single[len(single)/2].Round(time.Millisecond), single[len(single)-1].Round(time.Millisecond))

	forms := make([]string, len(units))
	for i, u := range units {
		_, page := e.get(client, "/u/"+e.tokens[u.Code])
		forms[i] = csrf(t, page)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	lat := make([]time.Duration, len(units))
	codes := make([]int, len(units))
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, u := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctype, body, err := newUploadBody(forms[i], u.Code+".xlsx", datas[i])
			if err != nil {
				t.Errorf("%s: %v", u.Code, err)
				return
			}
			req, err := http.NewRequestWithContext(ctx, "POST", e.http.URL+"/u/"+e.tokens[u.Code], body)
			if err != nil {
				t.Errorf("%s: %v", u.Code, err)
				return
			}
			req.Header.Set("Content-Type", ctype)
			<-gate
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("%s: %v", u.Code, err)
				return
			}
			resp.Body.Close()
			lat[i], codes[i] = time.Since(t0), resp.StatusCode
		}()
	}
	cpu0 := cpuTime()
	t0 := time.Now()
	close(gate)
	wg.Wait()
	wall := time.Since(t0)
	cpu := cpuTime() - cpu0
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("%s: status %d", units[i].Code, c)
		}
	}

	// Nothing lost: every return stored once, accepted, its bytes intact.
	subs, err := e.st.Submissions(testPeriod.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != len(units)+len(alone) {
		t.Fatalf("%d submissions stored, want %d", len(subs), len(units)+len(alone))
	}
	sent := map[string]string{}
	for i, u := range makers {
		h := sha256.Sum256(datas[i])
		sent[u.Code] = hex.EncodeToString(h[:])
	}
	for _, s := range subs {
		if s.SHA256 != sent[s.Unit] || s.Seq != 1 || s.Verdict != plan.Accepted {
			t.Errorf("%s: seq %d %s, hash %s, sent %s", s.Unit, s.Seq, s.Verdict, s.SHA256[:12], sent[s.Unit][:12])
		}
		data, err := e.st.SubmissionData(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != s.SHA256 {
			t.Errorf("%s: the stored file's hash differs", s.Unit)
		}
		delete(sent, s.Unit)
	}
	if len(sent) != 0 {
		t.Errorf("no submission for %d units", len(sent))
	}

	sorted := append([]time.Duration(nil), lat...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
	q := func(f float64) time.Duration { return sorted[int(f*float64(len(sorted)-1))].Round(time.Millisecond) }
	t.Logf("%d concurrent uploads of %s each in %v: p50 %v, p95 %v, max %v; CPU (user+sys, server and client) %v, %v an upload",
		len(units), kb(datas), wall.Round(time.Millisecond), q(0.50), q(0.95), q(1), cpu.Round(time.Millisecond), (cpu / time.Duration(len(units))).Round(100*time.Microsecond))
}

// cpuTime is the process's CPU time so far (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func kb(datas [][]byte) string {
	n := 0
	for _, d := range datas {
		n += len(d)
	}
	return fmt.Sprintf("%d KB", n/len(datas)>>10)
}
