package pagesfunc

import (
	"context"
	"sort"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/reviewerpage"
)

// documents adapts the document use cases to the reviewer pages'
// DocumentBackend.
type documents struct{ app *app.App }

var _ reviewerpage.DocumentBackend = documents{}

func (d documents) SaveDraft(ctx context.Context, hash, text string) error {
	return pageError(d.app.SaveDraft(ctx, hash, text))
}

func (d documents) PrepareUpload(ctx context.Context, hash, redirect string) (reviewerpage.UploadForm, error) {
	f, err := d.app.PrepareUpload(ctx, hash, redirect)
	if err != nil {
		return reviewerpage.UploadForm{}, pageError(err)
	}
	out := reviewerpage.UploadForm{URL: f.URL}
	for k, v := range f.Fields {
		out.Fields = append(out.Fields, reviewerpage.FormField{Name: k, Value: v})
	}
	// Any order is a valid form; one order keeps pages comparable.
	sort.Slice(out.Fields, func(i, j int) bool { return out.Fields[i].Name < out.Fields[j].Name })
	return out, nil
}

func (d documents) Arrived(ctx context.Context, hash, key string) error {
	return pageError(d.app.DocumentArrived(ctx, hash, key))
}

func (d documents) Remove(ctx context.Context, hash, id string) error {
	return pageError(d.app.RemoveDocument(ctx, hash, id))
}
