package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/candorhq/candor/shared/app"
	"github.com/candorhq/candor/shared/moderation"
)

// errBadCursor: a pagination cursor that this store did not hand out for this list.
var errBadCursor = moderation.InvalidField("cursor", "is not a cursor from this list")

// encodeCursor turns a LastEvaluatedKey into an opaque cursor ("" at the end).
func encodeCursor(lek map[string]types.AttributeValue) string {
	if len(lek) == 0 {
		return ""
	}
	m := make(map[string]string, len(lek))
	for k, v := range lek {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			m[k] = s.Value
		}
	}
	b, _ := json.Marshal(m) // a map of strings always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor turns a cursor back into an ExclusiveStartKey for a query on
// index partition attribute partAttr = partValue. A cursor for another list
// (another business's, say) or a forged one is errBadCursor, so a cursor can
// never move a query into a partition the caller may not read.
func decodeCursor(cursor, partAttr, partValue string, attrs ...string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	if len(cursor) > 2048 {
		return nil, errBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, errBadCursor
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, errBadCursor
	}
	want := append([]string{AttrPK, AttrSK, partAttr}, attrs...)
	got := slices.Sorted(maps.Keys(m))
	slices.Sort(want)
	if !slices.Equal(got, slices.Compact(want)) || m[partAttr] != partValue {
		return nil, errBadCursor
	}
	out := make(map[string]types.AttributeValue, len(m))
	for k, v := range m {
		out[k] = str(v)
	}
	return out, nil
}

// page runs one page of a Query on an index partition. The Limit may be
// filled across several calls only when DynamoDB stops early (1 MB).
func (s *Store) page(ctx context.Context, index, pkAttr, skAttr, pk string, forward bool, p app.Page, each func(map[string]types.AttributeValue) error) (string, error) {
	return s.pageQuery(ctx, index, pkAttr, skAttr, pk, "", forward, p, each)
}

// pageFrom runs one page of a Query on a partition of the table, ascending
// from sort key skFrom ("" for the start).
func (s *Store) pageFrom(ctx context.Context, pk, skFrom string, p app.Page, each func(map[string]types.AttributeValue) error) (string, error) {
	return s.pageQuery(ctx, "", AttrPK, AttrSK, pk, skFrom, true, p, each)
}

// pageQuery runs one page of a Query on partition pkAttr = pk of index (""
// for the table), from sort key skFrom when it is not "".
func (s *Store) pageQuery(ctx context.Context, index, pkAttr, skAttr, pk, skFrom string, forward bool, p app.Page, each func(map[string]types.AttributeValue) error) (string, error) {
	start, err := decodeCursor(p.Cursor, pkAttr, pk, skAttr)
	if err != nil {
		return "", err
	}
	limit := p.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
		ScanIndexForward:          aws.Bool(forward),
		ExclusiveStartKey:         start,
	}
	if index != "" {
		in.IndexName = aws.String(index)
	}
	if skFrom != "" {
		in.KeyConditionExpression = aws.String("#pk = :pk AND #sk >= :from")
		in.ExpressionAttributeNames["#sk"] = skAttr
		in.ExpressionAttributeValues[":from"] = str(skFrom)
	}
	got := 0
	for {
		in.Limit = aws.Int32(int32(limit - got))
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return "", err
		}
		for _, raw := range res.Items {
			if err := each(raw); err != nil {
				return "", err
			}
		}
		got += len(res.Items)
		if res.LastEvaluatedKey == nil {
			return "", nil
		}
		if got >= limit {
			return encodeCursor(res.LastEvaluatedKey), nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}
