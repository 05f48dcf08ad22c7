package ses

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// SES v2 speaks REST with JSON bodies (paths under /v2/email/); its errors
// are JSON too: the code in the X-Amzn-Errortype header and
// {"message": "…"} as the body. The stand-in serves the part of it that
// `aws sesv2` smoke tests use:
//
//	GET  /v2/email/account           GetAccount (the quota, as GetSendQuota)
//	GET  /v2/email/identities        ListEmailIdentities
//	POST /v2/email/identities        CreateEmailIdentity (an address, verified at once)
//	POST /v2/email/outbound-emails   SendEmail with Simple content
//
// and answers anything else with a JSON BadRequestException naming these.
const v2Supported = "GetAccount, ListEmailIdentities, CreateEmailIdentity and SendEmail (Simple content)"

func (o *Outbox) serveV2(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		writeV2Error(w, &apiError{http.StatusRequestEntityTooLarge, "BadRequestException", "The request is too large."})
		return
	}
	route := r.Method + " " + strings.TrimSuffix(r.URL.Path, "/")
	switch route {
	case "GET /v2/email/account":
		q := o.sendQuota()
		writeV2(w, map[string]any{"SendQuota": q, "SendingEnabled": true, "ProductionAccessEnabled": true,
			"EnforcementStatus": "HEALTHY", "DedicatedIpAutoWarmupEnabled": false})
	case "GET /v2/email/identities", "POST /v2/email/list-identities": // the path moved in later SDKs
		ids := []map[string]any{}
		for _, id := range o.listIdentities() {
			ids = append(ids, map[string]any{"IdentityType": "EMAIL_ADDRESS", "IdentityName": id, "SendingEnabled": true, "VerificationStatus": "SUCCESS"})
		}
		writeV2(w, map[string]any{"EmailIdentities": ids})
	case "POST /v2/email/identities":
		var in struct{ EmailIdentity string }
		if json.Unmarshal(body, &in) != nil || in.EmailIdentity == "" {
			writeV2Error(w, &apiError{http.StatusBadRequest, "BadRequestException", "EmailIdentity is required."})
			return
		}
		if !strings.Contains(in.EmailIdentity, "@") {
			writeV2Error(w, &apiError{http.StatusBadRequest, "BadRequestException", "The local SES stand-in verifies email addresses, not domains."})
			return
		}
		if apiErr := checkAddress(in.EmailIdentity); apiErr != nil {
			writeV2Error(w, &apiError{http.StatusBadRequest, "BadRequestException", apiErr.message})
			return
		}
		o.verify(in.EmailIdentity)
		writeV2(w, map[string]any{"IdentityType": "EMAIL_ADDRESS", "VerifiedForSendingStatus": true})
	case "POST /v2/email/outbound-emails":
		id, apiErr := o.sendV2(body)
		if apiErr != nil {
			writeV2Error(w, apiErr)
			return
		}
		writeV2(w, map[string]any{"MessageId": id})
	default:
		writeV2Error(w, &apiError{http.StatusBadRequest, "BadRequestException",
			"The local SES stand-in does not serve " + route + "; of SES v2 it serves " + v2Supported + "."})
	}
}

// sendV2 sends a SES v2 SendEmail with Simple content.
func (o *Outbox) sendV2(body []byte) (string, *apiError) {
	type content struct{ Data string }
	var in struct {
		FromEmailAddress string
		Destination      struct{ ToAddresses, CcAddresses, BccAddresses []string }
		Content          struct {
			Simple *struct {
				Subject content
				Body    struct{ Text, Html *content }
			}
			Raw *struct{}
		}
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return "", &apiError{http.StatusBadRequest, "BadRequestException", "The request body is not valid JSON."}
	}
	if in.Content.Simple == nil {
		return "", &apiError{http.StatusBadRequest, "BadRequestException", "The local SES stand-in sends Simple content only; send raw messages with SES v1 SendRawEmail."}
	}
	if code, ok := o.takeFailure(); ok {
		return "", injectedError(code)
	}
	c := in.Content.Simple
	m := Message{From: in.FromEmailAddress, To: in.Destination.ToAddresses, Cc: in.Destination.CcAddresses, Bcc: in.Destination.BccAddresses,
		Subject: c.Subject.Data}
	if c.Body.Text != nil {
		m.Text = c.Body.Text.Data
	}
	if c.Body.Html != nil {
		m.HTML = c.Body.Html.Data
	}
	if m.From == "" {
		return "", &apiError{http.StatusBadRequest, "BadRequestException", "FromEmailAddress is required."}
	}
	if err := checkMessage(&m); err != nil {
		return "", err
	}
	if err := o.checkSender(m.From); err != nil {
		return "", err
	}
	return o.add(m), nil
}

func writeV2(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", uuid.NewString())
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// writeV2Error writes an error as SES v2 does: the code in X-Amzn-Errortype,
// the message in a JSON body.
func writeV2Error(w http.ResponseWriter, e *apiError) {
	code := e.code
	if code == "InvalidParameterValue" || code == "ValidationError" {
		code = "BadRequestException" // SES v2's name for a bad parameter
	}
	b, _ := json.Marshal(map[string]string{"message": e.message})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", code)
	w.Header().Set("X-Amzn-Requestid", uuid.NewString())
	w.WriteHeader(e.status)
	w.Write(b)
}
