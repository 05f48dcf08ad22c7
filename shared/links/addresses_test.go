package links

import "testing"

func TestWebAddressesAndDefang(t *testing.T) {
	tests := []struct {
		in, host, defanged string
	}{
		{"see https://Shop.Example/a?b#c now", "shop.example", "see hxxps://Shop[.]Example/a?b#c now"},
		{"www.evil.example/x", "www.evil.example", "www[.]evil[.]example/x"},
		{"http://user@evil.example:8080/", "evil.example", "hxxp://user@evil[.]example:8080/"},
		{"FTP://files.example.", "files.example", "FXP://files[.]example[.]"},
	}
	for _, tt := range tests {
		got := WebAddresses(tt.in)
		if len(got) != 1 || got[0].Host != tt.host {
			t.Fatalf("WebAddresses(%q) = %+v, want one with host %q", tt.in, got, tt.host)
		}
		if d := tt.in[:got[0].Start] + Defang(tt.in, got[0]) + tt.in[got[0].End:]; d != tt.defanged {
			t.Errorf("defanged %q = %q, want %q", tt.in, d, tt.defanged)
		}
	}
	if got := WebAddresses("no links here, 12.50 kr"); got != nil {
		t.Errorf("WebAddresses found %+v in plain text", got)
	}
}
