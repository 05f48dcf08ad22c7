package document

import "testing"

func TestDeliveryOf(t *testing.T) {
	tests := []struct {
		typ  Type
		want Delivery
	}{
		{PDF, Delivery{ContentType: "application/pdf", Attachment: true}},
		{HEIC, Delivery{ContentType: "image/heic", Attachment: true}},
		{JPEG, Delivery{ContentType: "image/jpeg"}},
		{PNG, Delivery{ContentType: "image/png"}},
		{WebP, Delivery{ContentType: "image/webp"}},
		{"text/html", Delivery{ContentType: "application/octet-stream", Attachment: true}},
		{"", Delivery{ContentType: "application/octet-stream", Attachment: true}},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			if got := DeliveryOf(tt.typ); got != tt.want {
				t.Errorf("DeliveryOf(%q) = %+v, want %+v", tt.typ, got, tt.want)
			}
		})
	}
}
