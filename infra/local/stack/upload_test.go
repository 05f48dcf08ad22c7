package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/infra/local/dynamotest"
	"github.com/candorhq/candor/infra/local/stack"
	"github.com/candorhq/candor/shared/browsertest"
	"github.com/candorhq/candor/shared/clock"
	"github.com/candorhq/candor/shared/document"
	"github.com/candorhq/candor/shared/store"
)

// TestReviewerProvesWithDocumentsInTheBrowser: asked for proof, the
// reviewer types their answer and attaches a PDF and a photo through the
// page's real file input (no script involved: the form posts to the
// bucket, which sends the browser back). Each refusal keeps the text and
// stores nothing: an executable named .pdf and an empty file are refused
// by the page in the reviewer's language; a file over 10 MB, a changed key
// and an expired form by the bucket's own error page, after which the
// email's link shows the answer's page with the text. A sixth file is refused; one is removed; the
// answer is sent with the rest, which the table records with the proof and
// the business's API never shows.
func TestReviewerProvesWithDocumentsInTheBrowser(t *testing.T) {
	s, r, _, link, report, table := startProof(t)
	dir := t.TempDir()
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pdf := file("invoice.pdf", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
	photo := file("receipt.jpg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{9}, 4000)...))
	exe := file("order.pdf", append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{0}, 2000)...))
	empty := file("empty.pdf", nil)
	big := file("scan.pdf", append([]byte("%PDF-1.7\n"), make([]byte, 11<<20)...))

	b := browsertest.New(t)
	ctx, cancel := context.WithTimeout(b.Tab(t), 8*time.Minute) // each step is quick; a busy machine makes the walk long (axe runs in shared/reviewerpage)
	defer cancel()
	// The whole walk without JavaScript: every step is a form and a link.
	if err := chromedp.Do(ctx, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}); err != nil {
		t.Fatal(err)
	}
	const text = "Order 4711 of 2 October; the invoice and the receipt are attached."
	must(t, "open the proof link", chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#reply`))))
	must(t, "type the answer", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#reply`), text)))

	// upload attaches path through the page's Attach button and the
	// upload page's file input, and returns the page it ends on.
	upload := func(step, path string, tamper chromedp.Action[chromedp.Void]) string {
		t.Helper()
		must(t, step+": attach", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#attach`)), chromedp.WaitVisible(chromedp.CSS(`#file`))))
		must(t, step+": choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{path})))
		if tamper != nil {
			must(t, step+": change the form", chromedp.Do(ctx, tamper))
		}
		_, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[enctype] button[type="submit"]`)))
		must(t, step+": upload", err)
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(`html`)))
		must(t, step+": read the page", err)
		return html
	}
	// kept checks that the answer's page shows the text typed and n files.
	kept := func(step string, n int) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#reply`)))
		must(t, step+": read the answer", err)
		if strings.TrimSpace(got) != text {
			t.Errorf("%s: the answer reads %q, want the text typed", step, got)
		}
		items, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".attached li").length`))
		must(t, step+": read the list", err)
		if items != n {
			page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
			t.Errorf("%s: %d files listed, want %d; the page says %.1500q", step, items, n, page)
		}
	}
	// backFromTheBucket checks the bucket's own error page, then opens the
	// link of the email again, as the upload page tells the reviewer to.
	backFromTheBucket := func(step, html, code string, n int) {
		t.Helper()
		if !strings.Contains(html, "<Code>"+code+"</Code>") {
			t.Errorf("%s: the bucket answered %.300q, want its %s error", step, html, code)
		}
		must(t, step+": the link again", chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#reply`))))
		kept(step, n)
	}

	if html := upload("PDF", pdf, nil); !strings.Contains(html, "The file is attached.") {
		t.Fatalf("PDF: the page after the upload does not say it is attached: %.2000s", html)
	}
	kept("PDF", 1)
	upload("photo", photo, nil)
	kept("photo", 2)
	listed, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.attached`)))
	must(t, "read the list", err)
	hint, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#reply-hint`)))
	must(t, "read the hint", err)
	if strings.Contains(hint, "not possible") {
		t.Errorf("the answer's hint says %q beside the documents", hint)
	}
	if !strings.Contains(listed, "PDF, 1 KB, attached") || !strings.Contains(listed, "JPEG, 4 KB, attached") || strings.Contains(listed, "invoice") {
		t.Errorf("the list reads %q, want each file by type, size and time and never its name", listed)
	}

	for _, c := range []struct{ step, path, says string }{
		{"executable", exe, "is not a PDF, JPEG, PNG, WebP or HEIC file"},
		{"empty", empty, "is empty"},
	} {
		html := upload(c.step, c.path, nil)
		summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#error-summary`)))
		if err != nil || !strings.Contains(summary, c.says) {
			t.Errorf("%s: error summary %q (%v), want it to say the file %s; page %.500s", c.step, summary, err, c.says, html)
		}
		kept(c.step, 2)
	}

	backFromTheBucket("over 10 MB", upload("over 10 MB", big, nil), "EntityTooLarge", 2)
	backFromTheBucket("another key", upload("another key", pdf,
		chromedp.SetAttributeValue(chromedp.CSS(`input[name="key"]`), "value", "documents/"+report+"/doc_forged")), "AccessDenied", 2)

	for i := range 3 {
		upload("more "+string(rune('1'+i)), pdf, nil)
	}
	kept("five", document.MaxFiles)
	must(t, "a sixth", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#attach`)), chromedp.WaitVisible(chromedp.CSS(`#error-summary`))))
	if summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#error-summary`))); !strings.Contains(summary, "You have attached 5 files") {
		t.Errorf("a sixth file: %q, want the most an answer can carry", summary)
	}
	kept("a sixth", document.MaxFiles)
	must(t, "remove one", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.attached li:last-child button`)), chromedp.WaitVisible(chromedp.CSS(`.notice`))))
	kept("removed", document.MaxFiles-1)
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main form > button[type="submit"]:last-of-type`)))
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("send: %v %v", res, err)
	}
	s.Settle()

	// The table has the four documents, sent with the proof (and, unsent,
	// the slot of the expired form, whose upload never arrived: it goes
	// with the report's retention); the bucket has their objects and
	// nothing of the refused ones.
	all, err := store.New(s.DynamoDB, table).ReportDetail(context.Background(), report)
	if err != nil {
		t.Fatal(err)
	}
	var sent []document.Document
	for _, d := range all.Documents {
		switch {
		case d.Answer.Sent():
			sent = append(sent, d.Document)
		case d.Size != 0:
			t.Errorf("document %+v arrived but was not sent with the proof", d.Document)
		}
	}
	if len(sent) != document.MaxFiles-1 {
		t.Fatalf("%d documents sent, want %d", len(sent), document.MaxFiles-1)
	}
	for _, d := range sent {
		if d.Answer.Kind != document.AnswerProof || d.Size == 0 || len(d.SHA256) != 64 {
			t.Errorf("document %+v: want sent with the proof, measured and hashed", d)
		}
	}
	objs, err := s3Client(s).ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: aws.String(stack.DocumentsBucket), Prefix: aws.String("documents/" + report + "/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs.Contents) != document.MaxFiles-1 {
		var keys []string
		for _, o := range objs.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		t.Errorf("the bucket holds %v, want the four documents sent and nothing refused", keys)
	}
	// Compliance opens the PDF sent first: its bytes come back as uploaded.
	var first document.Document
	for _, d := range sent {
		if d.Type == document.PDF && (first.ID == "" || d.UploadedAt.Before(first.UploadedAt)) {
			first = d
		}
	}
	req, _ := http.NewRequest("GET", s.APIURL+"/v1/compliance/documents/"+first.ID, nil)
	req.Header.Set("Authorization", "Bearer "+r.compliance())
	opened, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	opened.Body.Close()
	if opened.StatusCode != http.StatusSeeOther {
		t.Fatalf("compliance opens %s: %d, want 303 to the bucket (the local scanner found it clean)", first.ID, opened.StatusCode)
	}
	got, err := http.Get(opened.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	want, _ := os.ReadFile(pdf)
	if got.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Errorf("the PDF compliance downloads: %d, %d bytes; want the %d bytes the reviewer attached", got.StatusCode, len(body), len(want))
	}
	// The business sees the report and nothing of the documents.
	raw := r.call(http.StatusOK, "GET", "/v1/reports/"+report, r.acme(), nil)
	for _, d := range sent {
		if strings.Contains(strings.ToLower(mustJSON(t, raw)), d.ID) {
			t.Errorf("the business's report names document %s", d.ID)
		}
	}
	if strings.Contains(mustJSON(t, raw), "documents") || strings.Contains(mustJSON(t, raw), "sha256") {
		t.Errorf("the business's report shows documents: %s", mustJSON(t, raw))
	}
}

// startProof starts a stack on a running wall clock, has a review's
// reviewer asked for proof and returns the proof link of their email.
func startProof(t *testing.T) (s *stack.Stack, r *run, wall *clock.Manual, link, report, table string) {
	t.Helper()
	wall = clock.NewRunning(time.Now())
	var endpoint string
	endpoint, table = dynamotest.ForStack(t, "candor")
	var err error
	s, err = stack.Start(context.Background(), stack.Config{APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Start: t0, Seed: true,
		DynamoDBEndpoint: endpoint, TableName: table, WallClock: wall, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	r = &run{t: t, s: s}
	const review = "rev-acme-02"
	r.ask(r.acme(), review)
	r.s.Settle()
	r.answer(review, url.Values{"reply": {"I did buy there, in October."}})
	report = r.report(r.acme(), review, true)
	r.s.Settle()
	for _, m := range r.mailTo(reviewer(review)) {
		for _, l := range m.Links {
			if reviewerLinkRE.MatchString(l) {
				link = s.APIURL + reviewerLinkRE.FindString(l)
			}
		}
	}
	if link == "" {
		t.Fatal("no proof link in the reviewer's email")
	}

	return s, r, wall, link, report, table
}

// TestAnExpiredUploadFormIsRefusedByTheBucket: a form used after its ten
// minutes gets the bucket's AccessDenied and stores nothing; the email's
// link then shows the answer's page with the text typed before. (Its own
// stack: the wall clock moved here cannot go back, and every later
// presigned URL would be refused.)
func TestAnExpiredUploadFormIsRefusedByTheBucket(t *testing.T) {
	s, _, wall, link, report, _ := startProof(t)
	pdf := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.7\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	ctx, cancel := context.WithTimeout(b.Tab(t), 4*time.Minute)
	defer cancel()
	const text = "Order 4711 of 2 October."
	must(t, "open the proof link", chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#reply`))))
	must(t, "type the answer", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#reply`), text)))
	must(t, "open the upload page", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#attach`)), chromedp.WaitVisible(chromedp.CSS(`#file`))))
	must(t, "choose a file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{pdf})))
	wall.Advance(11 * time.Minute)
	_, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[enctype] button[type="submit"]`)))
	must(t, "upload after the form expired", err)
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(`html`)))
	must(t, "read the page", err)
	if !strings.Contains(html, "<Code>AccessDenied</Code>") {
		t.Errorf("the bucket answered %.300q, want its AccessDenied", html)
	}
	must(t, "the link again", chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#reply`))))
	if got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#reply`))); err != nil || strings.TrimSpace(got) != text {
		t.Errorf("the answer reads %q (%v), want the text typed", got, err)
	}
	objs, err := s3Client(s).ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: aws.String(stack.DocumentsBucket), Prefix: aws.String("documents/" + report + "/")})
	if err != nil || len(objs.Contents) != 0 {
		t.Errorf("the bucket holds %d objects after an expired form (%v), want none", len(objs.Contents), err)
	}
}

// mustJSON is v as JSON.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
