package store

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// SubmitReport writes a report, hides (or marks) the review, opens the ticket,
// records the workflow start, counts the report and appends the audit
// entries in ONE transaction (P4, P13). The review must still be at the
// reported version with no open report, not reported at that version, and
// not removed — otherwise nothing is written and the error wraps
// moderation.ErrChanged, so of two concurrent reports on one version exactly
// one is stored. A key of f.Idempotency seen before cancels it the same way.
func (s *Store) SubmitReport(ctx context.Context, f app.ReportFiling) error {
	r, t := f.Report, f.Ticket
	now := r.CreatedAt
	b := s.tx()
	b.idempotency(f.Idempotency, now)
	set := "SET openReportId = :rpt, lastReportedVersion = :v, publicStatement = :ps, reportedAt = :now, updatedAt = :now"
	values := map[string]types.AttributeValue{
		":rpt": str(r.ID), ":v": num(r.ReviewVersion), ":ps": str(r.PublicStatement), ":now": str(fmtTime(now)),
		":empty": str(""), ":removed": str(string(moderation.Removed)), ":bid": str(r.BusinessID),
	}
	reviewAudit := moderation.AuditEntry{At: now, Actor: f.Actor, Action: "review.reported", From: string(moderation.Published), To: string(moderation.Published), Note: "report " + r.ID}
	if r.HidesReview {
		set += ", visibility = :hidden"
		values[":hidden"] = str(string(moderation.UnderInvestigation))
		reviewAudit.Action, reviewAudit.To = "review.hidden", string(moderation.UnderInvestigation)
	}
	b.update(reviewPK(r.ReviewID), skReview, set,
		"#version = :v AND openReportId = :empty AND lastReportedVersion < :v AND visibility <> :removed AND businessId = :bid",
		map[string]string{"#version": "version"}, values)
	ri := newReportItem(r)
	ri.ReviewerDeadline = fmtTime(f.ProofDeadline)
	b.put(ri, "attribute_not_exists(PK)", nil)
	b.withReasons(b.put(newTicketItem(t), "attribute_not_exists(PK)", nil), r)
	b.audit(reportPK(r.ID), moderation.AuditEntry{At: now, Actor: f.Actor, Action: "report.submitted", To: string(r.Status)})
	b.audit(reviewPK(r.ReviewID), reviewAudit)
	b.audit(ticketPK(t.ID), moderation.AuditEntry{At: now, Actor: f.Actor, Action: "ticket.opened", To: string(t.Status), Note: "report " + r.ID})
	b.put(newStartItem(f.Start), "", nil)
	b.reportingStats(r.BusinessID, filed(r), now)
	b.monthStats(r.BusinessID, r.CreatedAt, filedMonth(r, f.Repeat))
	b.rate(f.Rate)
	b.metrics(moderation.ReportSubmittedTally(r))
	return s.commitCounted(ctx, b, "submit report on review "+r.ReviewID, f.Rate)
}

// GetReport returns a report with its audit trail (oldest first).
func (s *Store) GetReport(ctx context.Context, id string) (moderation.Report, []moderation.AuditEntry, error) {
	d, err := s.ReportDetail(ctx, id)
	return d.Report, d.Trail, err
}

// ListReports returns a business's reports, newest first, optionally only
// those with the given status, one page at a time.
func (s *Store) ListReports(ctx context.Context, businessID string, status moderation.ReportStatus, p app.Page) ([]moderation.Report, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI1, AttrGSI1PK, AttrGSI1SK, businessReportsPK(businessID)
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI2, AttrGSI2PK, AttrGSI2SK, businessReportsByStatusPK(businessID, status)
	}
	var out []moderation.Report
	next, err := s.page(ctx, index, pkAttr, skAttr, pk, false, p, func(raw map[string]types.AttributeValue) error {
		var it reportItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, it.domain())
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list reports of %s: %w", businessID, err)
	}
	return out, next, nil
}
