package document

// Delivery is how a document is handed to compliance's browser: the
// Content-Type it is served with and whether it is saved rather than shown.
type Delivery struct {
	ContentType string
	// Attachment: served with Content-Disposition: attachment, so the
	// browser saves it instead of opening it in the page.
	Attachment bool
}

// DeliveryOf (download rule) is how a document of type t is served: with
// its detected type — never one a reviewer declared — and as an attachment
// wherever a browser could run something in it or hand it to a plug-in: a
// PDF (its viewer runs scripts and forms), a HEIC (most browsers cannot
// show it and hand it on), and anything not one of the accepted types
// (served as application/octet-stream). JPEG, PNG and WebP are pictures a
// browser only draws, and are shown.
func DeliveryOf(t Type) Delivery {
	switch t {
	case JPEG, PNG, WebP:
		return Delivery{ContentType: string(t)}
	case PDF, HEIC:
		return Delivery{ContentType: string(t), Attachment: true}
	}
	return Delivery{ContentType: "application/octet-stream", Attachment: true}
}
