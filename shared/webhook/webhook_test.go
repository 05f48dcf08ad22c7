package webhook

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestSignAndVerify(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"id":"evt_1"}`)
	h := Sign([]string{"new", "old"}, at, body)
	if !strings.HasPrefix(h, "t=1793610000,v1=") || strings.Count(h, "v1=") != 2 {
		t.Fatalf("header = %q", h)
	}
	tests := []struct {
		name   string
		header string
		body   []byte
		secret string
		now    time.Time
		want   error
	}{
		{"current secret", h, body, "new", at, nil},
		{"rotated secret", h, body, "old", at.Add(Tolerance), nil},
		{"other secret", h, body, "guess", at, ErrNoSignature},
		{"changed body", h, []byte(`{"id":"evt_2"}`), "new", at, ErrNoSignature},
		{"replayed later", h, body, "new", at.Add(Tolerance + time.Second), ErrStale},
		{"from the future", h, body, "new", at.Add(-Tolerance - time.Second), ErrStale},
		{"changed timestamp", strings.Replace(h, "t=1793610000", "t=1793610001", 1), body, "new", at, ErrNoSignature},
		{"no signature", "t=1793610000", body, "new", at, ErrMalformed},
		{"garbage", "v1", body, "new", at, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.header, tt.body, tt.secret, tt.now, Tolerance); !errors.Is(got, tt.want) {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

// The test vector of docs/webhooks.md (also computed there with openssl).
func TestSignatureMatchesTheDocumentedVector(t *testing.T) {
	got := Sign([]string{"whsec_test"}, time.Unix(1793610000, 0), []byte(`{"id":"evt_1"}`))
	want := "t=1793610000,v1=3296262bfaa51a099fe1e42be69dbbc93941e2c5f785efc82e308bcf764937e1"
	if got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestTargetsCheck(t *testing.T) {
	tests := []struct {
		url   string
		local bool
		ok    bool
	}{
		{"https://hooks.example.com/candor", false, true},
		{"https://hooks.example.com:8443/candor?x=1", false, true},
		{"https://93.184.216.34/hook", false, true},
		{"http://hooks.example.com/candor", false, false},
		{"http://127.0.0.1:8080/hook", false, false},
		{"http://127.0.0.1:8080/hook", true, true},
		{"http://localhost:8080/hook", true, true},
		{"http://hooks.example.com/hook", true, false},
		{"https://127.0.0.1/hook", false, false},
		{"https://10.1.2.3/hook", false, false},
		{"https://169.254.169.254/latest/meta-data", false, false},
		{"https://[::1]/hook", false, false},
		{"https://[fd00::1]/hook", false, false},
		{"https://100.64.0.1/hook", false, false},
		{"https://localhost/hook", false, false},
		{"https://metadata.google.internal/x", false, false},
		{"https://printer.local/x", false, false},
		{"https://intranet/x", false, false},
		{"https://u:p@hooks.example.com/x", false, false},
		{"https://hooks.example.com/x#frag", false, false},
		{"/relative", false, false},
		{"https://hooks.example.com/" + strings.Repeat("a", MaxURLLength), false, false},
		// One way to write a host: no trailing dot, no short or numeric IPv4 forms, no zone.
		{"https://hooks.example.com./x", false, false},
		{"http://localhost.:8080/x", true, false},
		{"https://127.1/x", false, false},
		{"https://127.1/x", true, false},
		{"https://2130706433/x", false, false},
		{"https://0x7f.1/x", false, false},
		{"https://0177.0.0.1/x", false, false},
		{"https://10.1/x", false, false},
		{"https://hooks.example.123/x", false, false},
		{"https://1.2.3.4.nip.example.com/x", false, true},
		{"https://[fe80::1%25eth0]/x", false, false},
		// IPv6 transition forms of private addresses.
		{"https://[::ffff:10.0.0.1]/x", false, false},
		{"https://[::ffff:7f00:1]/x", false, false},
		{"https://[::10.0.0.1]/x", false, false},
		{"https://[64:ff9b::a9fe:a9fe]/x", false, false},
		{"https://[64:ff9b:1::a00:1]/x", false, false},
		{"https://[2002:a00:1::1]/x", false, false},
		{"https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x", false, false},
		{"https://[64:ff9b::7f00:1]/x", true, false},
		{"https://10.0.0.1/x", true, false},
		// Ports: 443 and 8443; 80 in the local stack; any port on loopback locally.
		{"https://hooks.example.com:443/x", false, true},
		{"https://hooks.example.com:8080/x", false, false},
		{"https://hooks.example.com:80/x", false, false},
		{"https://hooks.example.com:22/x", false, false},
		{"https://hooks.example.com:80/x", true, true},
		{"https://hooks.example.com:22/x", true, false},
		{"https://93.184.216.34:6379/x", false, false},
		{"http://127.0.0.1:39001/hook", true, true},
	}
	for _, tt := range tests {
		err := Targets{Local: tt.local}.Check(tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("Targets{Local: %v}.Check(%.60q) = %v, want ok %v", tt.local, tt.url, err, tt.ok)
		}
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1::1": true,
		"127.0.0.1": false, "10.0.0.1": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"0.0.0.0": false, "100.64.1.1": false, "224.0.0.1": false, "::1": false, "fe80::1": false, "fc00::1": false,
		"::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "255.255.255.255": false,
		"::ffff:93.184.216.34": true, "::10.0.0.1": false, "64:ff9b::a00:1": false, "64:ff9b:1::a00:1": false,
		"2002:a00:1::1": false, "2001:0:4136:e378:8000:63bf:f5ff:fffe": false, "fe80::1%eth0": false,
	} {
		if got := publicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("publicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}

// The deployed client refuses to connect to a loopback address, whatever
// the URL says (a name may resolve to one); the local one connects.
func TestClientRefusesNonPublicAddressesAtConnectTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) }))
	defer srv.Close()
	res, err := Targets{}.Client().Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err == nil {
		res.Body.Close()
		t.Fatal("the deployed client connected to a loopback address")
	}
	if !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("err = %v, want ErrBlockedAddress", err)
	}
	// A name is checked by the address it resolves to when the connection
	// is made, not by how it looked at registration (DNS rebinding).
	res, err = Targets{}.Client().Post("https://localhost:443/hook", "application/json", strings.NewReader("{}"))
	if err == nil {
		res.Body.Close()
	}
	if !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("a name resolving to loopback: err = %v, want ErrBlockedAddress", err)
	}
	// A public address on a port outside Ports is refused before any packet.
	res, err = Targets{}.Client().Post("http://93.184.216.34:6379/", "application/json", strings.NewReader("{}"))
	if err == nil {
		res.Body.Close()
	}
	if !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("a public address on port 6379: err = %v, want ErrBlockedAddress", err)
	}
	res, err = Targets{Local: true}.Client().Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatalf("the local client: %v", err)
	}
	res.Body.Close()
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	res, err := Targets{Local: true}.Client().Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("status = %d, want the redirect itself", res.StatusCode)
	}
}

func TestBackoffDoubles(t *testing.T) {
	var total time.Duration
	for n := 1; n < MaxAttempts; n++ {
		if got, want := Backoff(n), time.Minute<<(n-1); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
		total += Backoff(n)
	}
	if total != 1023*time.Minute {
		t.Errorf("last attempt %v after the first, want 1023m", total)
	}
}

func TestEventIDIsStableForItsKey(t *testing.T) {
	a := Event{Type: TypeRequestReplied, BusinessID: "b", Key: "req_1:notify_replied:0"}
	b := a
	b.At = time.Now()
	c := a
	c.Key = "req_1:notify_replied:1"
	if a.ID() != b.ID() || a.ID() == c.ID() || !strings.HasPrefix(a.ID(), "evt_") || len(a.ID()) != 36 {
		t.Errorf("ids %s %s %s", a.ID(), b.ID(), c.ID())
	}
}
