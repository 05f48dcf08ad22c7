package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// What the workflow tasks read and write: each task reads its objects in
// one BatchGetItem (the execution carries their ids) and makes its change,
// the email it claims, the link it creates and the start it clears in one
// transaction (Step).

// itemKey is an item's primary key.
type itemKey struct{ pk, sk string }

// batchGet reads the items of keys, strongly consistent, in one
// BatchGetItem (and again for keys DynamoDB left unprocessed). An item that
// does not exist is missing from the result.
func (s *Store) batchGet(ctx context.Context, keys ...itemKey) (map[itemKey]map[string]types.AttributeValue, error) {
	req := make([]map[string]types.AttributeValue, len(keys))
	for i, k := range keys {
		req[i] = s.key(k.pk, k.sk)
	}
	out := make(map[itemKey]map[string]types.AttributeValue, len(keys))
	in := &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{s.table: {Keys: req, ConsistentRead: aws.Bool(true)}}}
	for attempt := 0; ; attempt++ {
		res, err := s.db.BatchGetItem(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, item := range res.Responses[s.table] {
			pk, _ := item[AttrPK].(*types.AttributeValueMemberS)
			sk, _ := item[AttrSK].(*types.AttributeValueMemberS)
			if pk != nil && sk != nil {
				out[itemKey{pk.Value, sk.Value}] = item
			}
		}
		left, ok := res.UnprocessedKeys[s.table]
		if !ok || len(left.Keys) == 0 {
			return out, nil
		}
		if attempt == 4 {
			return nil, fmt.Errorf("batch get: %d keys left unprocessed after %d attempts", len(left.Keys), attempt+1)
		}
		in.RequestItems = map[string]types.KeysAndAttributes{s.table: left}
	}
}

// unmarshalFound decodes the item of k into out, or reports what is missing.
func unmarshalFound(items map[itemKey]map[string]types.AttributeValue, k itemKey, what string, out any) error {
	raw, ok := items[k]
	if !ok {
		return fmt.Errorf("%s: %w", what, moderation.ErrNotFound)
	}
	return attributevalue.UnmarshalMap(raw, out)
}

// ledgerOf reads the email ledger off an object's item.
func ledgerOf(raw map[string]types.AttributeValue) app.Ledger {
	l := app.Ledger{}
	for name, v := range raw {
		if key, ok := strings.CutPrefix(name, "email:"); ok {
			if sv, ok := v.(*types.AttributeValueMemberS); ok {
				l[key] = sv.Value
			}
		}
	}
	return l
}

// stallAttrs are the attributes of a stall on an object's item.
type stallAttrs struct {
	StallState     string `dynamodbav:"stallState"`
	StallError     string `dynamodbav:"stallError"`
	StallRedrive   int    `dynamodbav:"stallRedrive"`
	StallExecution string `dynamodbav:"stallExecution"`
	StallAt        string `dynamodbav:"stallAt"`
}

func stallOf(raw map[string]types.AttributeValue) app.Stall {
	var a stallAttrs
	_ = attributevalue.UnmarshalMap(raw, &a) // absent or mistyped attributes: no stall
	return app.Stall{State: a.StallState, Error: a.StallError, Redrive: a.StallRedrive, Execution: a.StallExecution, At: parseTime(a.StallAt)}
}

// InvestigationCase reads a report, its ticket, its review and its business in one call.
func (s *Store) InvestigationCase(ctx context.Context, ids app.CaseIDs) (app.InvestigationCase, error) {
	var c app.InvestigationCase
	rk, tk, vk, bk := itemKey{reportPK(ids.ReportID), skReport}, itemKey{ticketPK(ids.TicketID), skTicket},
		itemKey{reviewPK(ids.ReviewID), skReview}, itemKey{businessPK(ids.BusinessID), skBusiness}
	ak := itemKey{appealPK(moderation.AppealID(ids.ReportID)), skAppeal} // absent until an appeal is filed
	items, err := s.batchGet(ctx, rk, tk, vk, bk, ak)
	if err != nil {
		return c, fmt.Errorf("investigation case %s: %w", ids.ReportID, err)
	}
	if raw, ok := items[ak]; ok {
		var ai appealItem
		if err := attributevalue.UnmarshalMap(raw, &ai); err != nil {
			return c, fmt.Errorf("investigation case %s: appeal: %w", ids.ReportID, err)
		}
		c.Appeal, c.AppealTaskToken = ai.domain(), ai.TaskToken
	}
	var (
		ri reportItem
		ti ticketItem
		vi reviewItem
		bi businessItem
	)
	for _, x := range []struct {
		k    itemKey
		what string
		out  any
	}{{rk, "report " + ids.ReportID, &ri}, {tk, "ticket " + ids.TicketID, &ti}, {vk, "review " + ids.ReviewID, &vi}, {bk, "business " + ids.BusinessID, &bi}} {
		if err := unmarshalFound(items, x.k, x.what, x.out); err != nil {
			return c, fmt.Errorf("investigation case %s: %w", ids.ReportID, err)
		}
	}
	c.Report, c.ReviewerDeadline, c.Round, c.TaskToken = ri.domain(), parseTime(ri.ReviewerDeadline), ri.Round, ri.TaskToken
	c.Ticket, c.Decision, c.TicketToken = ti.domain(), ti.decision(), ti.TaskToken
	c.Review, c.Business = vi.domain(), bi.domain()
	c.Ledger, c.Stall = ledgerOf(items[rk]), stallOf(items[rk])
	c.ReportDetail.Stall = c.Stall
	return c, nil
}

// RequestCase reads a Find Reviewer request, its review and its business in one call.
func (s *Store) RequestCase(ctx context.Context, ids app.RequestIDs) (app.RequestCase, error) {
	var c app.RequestCase
	qk, vk, bk := itemKey{requestPK(ids.RequestID), skRequest}, itemKey{reviewPK(ids.ReviewID), skReview}, itemKey{businessPK(ids.BusinessID), skBusiness}
	items, err := s.batchGet(ctx, qk, vk, bk)
	if err != nil {
		return c, fmt.Errorf("request case %s: %w", ids.RequestID, err)
	}
	var (
		qi requestItem
		vi reviewItem
		bi businessItem
	)
	for _, x := range []struct {
		k    itemKey
		what string
		out  any
	}{{qk, "request " + ids.RequestID, &qi}, {vk, "review " + ids.ReviewID, &vi}, {bk, "business " + ids.BusinessID, &bi}} {
		if err := unmarshalFound(items, x.k, x.what, x.out); err != nil {
			return c, fmt.Errorf("request case %s: %w", ids.RequestID, err)
		}
	}
	c.Request, c.TaskToken, c.Review, c.Business = qi.domain(), qi.TaskToken, vi.domain(), bi.domain()
	c.Ledger, c.Stall = ledgerOf(items[qk]), stallOf(items[qk])
	return c, nil
}

// objectKey is the item of an object with a ledger, and the name of its deadline attribute.
func objectKey(o app.ObjectKey) (pk, sk, deadline string) {
	switch o.Kind {
	case app.ObjectReport:
		return reportPK(o.ID), skReport, "reviewerDeadline"
	case app.ObjectReview:
		return reviewPK(o.ID), skReview, ""
	}
	return requestPK(o.ID), skRequest, "deadline"
}

// claimExpr adds an email claim to an update: the SET clause and the
// condition that the entry is still what the task read.
func claimExpr(c *app.Claim, names map[string]string, values map[string]types.AttributeValue) (set, cond string) {
	return claimExprAs(c, "mail", names, values)
}

// claimExprAs is claimExpr with placeholders named after ph, so that one
// update can claim several emails.
func claimExprAs(c *app.Claim, ph string, names map[string]string, values map[string]types.AttributeValue) (set, cond string) {
	name, value := "#"+ph, ":"+ph
	names[name] = "email:" + c.Key
	values[value] = str(c.Value)
	if c.Prev == "" {
		return name + " = " + value, "attribute_not_exists(" + name + ")"
	}
	values[value+"Prev"] = str(c.Prev)
	return name + " = " + value, name + " = " + value + "Prev"
}

// Step makes a workflow task's write in one transaction (see app.Step).
func (s *Store) Step(ctx context.Context, st app.Step) error {
	pk, sk, deadlineAttr := objectKey(st.Object)
	at := fmtTime(st.At)
	names := map[string]string{}
	values := map[string]types.AttributeValue{":at": str(at)}
	sets := []string{"updatedAt = :at"}
	conds := []string{"attribute_exists(PK)"}
	if st.Status != "" {
		names["#status"] = "status"
		values[":status"], values[":round"] = str(st.Status), num(st.Round)
		conds = append(conds, "#status = :status", "round = :round")
	}
	if st.Token != "" {
		values[":token"] = str(st.Token)
		sets = append(sets, "taskToken = :token")
	}
	if !st.Deadline.IsZero() {
		names["#deadline"] = deadlineAttr
		values[":deadline"] = str(fmtTime(st.Deadline))
		sets = append(sets, "#deadline = :deadline")
	}
	if !st.AppealDeadline.IsZero() {
		values[":appealBy"] = str(fmtTime(st.AppealDeadline))
		sets = append(sets, "appealDeadline = :appealBy")
	}
	if st.Claim != nil {
		set, cond := claimExpr(st.Claim, names, values)
		sets, conds = append(sets, set), append(conds, cond)
	}
	for i, c := range st.MoreClaims {
		set, cond := claimExprAs(c, "mail"+strconv.Itoa(i+1), names, values)
		sets, conds = append(sets, set), append(conds, cond)
	}
	b := s.tx()
	switch st.Reminder {
	case "auto", "manual":
		sets = append(sets, st.Reminder+"ReminderAt = :at")
		b.audit(pk, moderation.AuditEntry{At: st.At, Actor: "system", Action: "request.reminded", From: string(moderation.RequestAwaitingReply),
			To: string(moderation.RequestAwaitingReply), Note: st.Reminder + " reminder"})
	}
	b.update(pk, sk, "SET "+strings.Join(sets, ", "), strings.Join(conds, " AND "), names, values)
	if st.Link != nil {
		b.put(newLinkItem(*st.Link), "attribute_not_exists(PK)", nil)
	}
	b.clearStart(st.StartDone)
	b.events(st.Events)
	return s.commitAs(ctx, b, fmt.Sprintf("%s %s: step", st.Object.Kind, st.Object.ID))
}

// ConfirmEmail records that a claimed email was sent, with its message id.
func (s *Store) ConfirmEmail(ctx context.Context, o app.ObjectKey, key, messageID string) error {
	pk, sk, _ := objectKey(o)
	return s.confirmEmail(ctx, pk, sk, key, messageID, string(o.Kind)+" "+o.ID)
}

// ReleaseEmail gives up an attempt's claim after a failed send, so a retry
// sends; a claim that is not this attempt's any more is left alone.
func (s *Store) ReleaseEmail(ctx context.Context, o app.ObjectKey, c app.Claim) error {
	pk, sk, _ := objectKey(o)
	return s.releaseEmail(ctx, pk, sk, c, string(o.Kind)+" "+o.ID)
}

// confirmEmail marks the email key of item (pk, sk), named what in errors, sent.
func (s *Store) confirmEmail(ctx context.Context, pk, sk, key, messageID, what string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(pk, sk),
		UpdateExpression:          aws.String("SET #mail = :sent"),
		ExpressionAttributeNames:  map[string]string{"#mail": "email:" + key},
		ExpressionAttributeValues: map[string]types.AttributeValue{":sent": str("sent:" + messageID)},
	})
	if err != nil {
		return fmt.Errorf("confirm email %s of %s: %w", key, what, err)
	}
	return nil
}

// RecordEmails records, in one write, what became of several emails an
// attempt claimed together (sendonce.StepAll): the sent ones (key → message
// id) confirmed, the claims in released given up. A released claim that is
// not this attempt's any more is left alone: the write is then made again
// with the confirmations only.
func (s *Store) RecordEmails(ctx context.Context, o app.ObjectKey, sent map[string]string, released []app.Claim) error {
	pk, sk, _ := objectKey(o)
	what := string(o.Kind) + " " + o.ID
	names := map[string]string{}
	values := map[string]types.AttributeValue{}
	var sets []string
	for i, key := range slices.Sorted(maps.Keys(sent)) {
		ph := strconv.Itoa(i)
		names["#sent"+ph], values[":sent"+ph] = "email:"+key, str("sent:"+sent[key])
		sets = append(sets, "#sent"+ph+" = :sent"+ph)
	}
	confirms := len(sets)
	var conds []string
	for i, c := range released {
		ph := strconv.Itoa(i)
		names["#rel"+ph], values[":mine"+ph] = "email:"+c.Key, str(c.Value)
		sets, conds = append(sets, "#rel"+ph+" = :released"), append(conds, "#rel"+ph+" = :mine"+ph)
		values[":released"] = str("claimed:")
	}
	if len(sets) == 0 {
		return nil
	}
	in := &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(pk, sk),
		UpdateExpression:          aws.String("SET " + strings.Join(sets, ", ")),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}
	if len(conds) > 0 {
		in.ConditionExpression = aws.String(strings.Join(conds, " AND "))
	}
	_, err := s.db.UpdateItem(ctx, in)
	if err != nil && len(conds) > 0 && errors.Is(classifyTx(err), moderation.ErrChanged) {
		if confirms == 0 {
			return nil // nothing to confirm, and the claims are not ours any more
		}
		return s.RecordEmails(ctx, o, sent, nil)
	}
	if err != nil {
		return fmt.Errorf("record emails of %s: %w", what, classifyTx(err))
	}
	return nil
}

// releaseEmail gives up claim c on item (pk, sk), named what in errors, if it is still c.
func (s *Store) releaseEmail(ctx context.Context, pk, sk string, c app.Claim, what string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       s.key(pk, sk),
		UpdateExpression:          aws.String("SET #mail = :released"),
		ConditionExpression:       aws.String("#mail = :mine"),
		ExpressionAttributeNames:  map[string]string{"#mail": "email:" + c.Key},
		ExpressionAttributeValues: map[string]types.AttributeValue{":released": str("claimed:"), ":mine": str(c.Value)},
	})
	if err != nil {
		return fmt.Errorf("release email %s of %s: %w", c.Key, what, classifyTx(err))
	}
	return nil
}

const stalledPK = "STALLED"

type stalledItem struct {
	PK, SK    string
	Type      string `dynamodbav:"type"`
	Kind      string `dynamodbav:"kind"`
	ID        string `dynamodbav:"id"`
	State     string `dynamodbav:"state"`
	Error     string `dynamodbav:"error"`
	Execution string `dynamodbav:"execution"`
	At        string `dynamodbav:"at"`
}

// RecordStall records on its object that a workflow stopped at a failed
// step, lists it under STALLED for ops and appends an audit entry — one
// transaction.
func (s *Store) RecordStall(ctx context.Context, o app.ObjectKey, st app.Stall) error {
	pk, sk, _ := objectKey(o)
	b := s.tx()
	b.update(pk, sk, "SET stallState = :state, stallError = :err, stallRedrive = :redrive, stallExecution = :exec, stallAt = :at",
		"attribute_exists(PK)", nil, map[string]types.AttributeValue{":state": str(st.State), ":err": str(st.Error),
			":redrive": num(st.Redrive), ":exec": str(st.Execution), ":at": str(fmtTime(st.At))})
	b.put(stalledItem{PK: stalledPK, SK: string(o.Kind) + "#" + o.ID, Type: "stalled", Kind: string(o.Kind), ID: o.ID,
		State: st.State, Error: st.Error, Execution: st.Execution, At: fmtTime(st.At)}, "", nil)
	b.audit(pk, moderation.AuditEntry{At: st.At, Actor: "system", Action: "workflow.stalled", Note: st.State + ": " + st.Error})
	return s.commitAs(ctx, b, fmt.Sprintf("%s %s: record stall", o.Kind, o.ID))
}

// ClearStall records that a redrive resumed the workflow: the stall is
// cleared from the object and the ops list, with an audit entry.
func (s *Store) ClearStall(ctx context.Context, o app.ObjectKey, state string, redrive int, at time.Time) error {
	pk, sk, _ := objectKey(o)
	b := s.tx()
	b.update(pk, sk, "SET stallState = :none, stallError = :none, stallExecution = :none, stallAt = :none", "stallState = :state", nil,
		map[string]types.AttributeValue{":none": str(""), ":state": str(state)})
	b.items = append(b.items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(s.table), Key: s.key(stalledPK, string(o.Kind)+"#"+o.ID)}})
	b.audit(pk, moderation.AuditEntry{At: at, Actor: "system", Action: "workflow.resumed", Note: state + " (redrive " + strconv.Itoa(redrive) + ")"})
	return s.commitAs(ctx, b, fmt.Sprintf("%s %s: clear stall", o.Kind, o.ID))
}

// Stalled lists the workflows stopped at a failed step, oldest first.
func (s *Store) Stalled(ctx context.Context) ([]app.StalledWorkflow, error) {
	var out []app.StalledWorkflow
	err := s.readPartition(ctx, stalledPK, func(_ string, raw map[string]types.AttributeValue) error {
		var it stalledItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return err
		}
		out = append(out, app.StalledWorkflow{Object: app.ObjectKey{Kind: app.ObjectKind(it.Kind), ID: it.ID},
			Stall: app.Stall{State: it.State, Error: it.Error, Execution: it.Execution, At: parseTime(it.At)}})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stalled workflows: %w", err)
	}
	slices.SortFunc(out, func(a, b app.StalledWorkflow) int { return a.Stall.At.Compare(b.Stall.At) })
	return out, nil
}
