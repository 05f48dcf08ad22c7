package core

// Candor's patch (see ../CANDOR.md): a transaction saves and, when it is
// cancelled, restores only the items it touches. Upstream minidyn v0.8.2
// deep-copies the whole table before every TransactWriteItems, so each
// transaction cost time in proportion to the table.

import "github.com/truora/minidyn/types"

// SavedItem is an item as it was before a transaction (Existed false: there
// was none).
type SavedItem struct {
	Key     string
	Item    map[string]*types.Item
	Existed bool
}

// SaveItem copies the item with the given primary key map, if any, so that
// RestoreItem can put it back.
func (t *Table) SaveItem(keyMap map[string]*types.Item) (SavedItem, error) {
	key, err := t.KeySchema.GetKey(t.AttributesDef, keyMap)
	if err != nil {
		return SavedItem{}, err
	}

	item, ok := t.Item(key) // a decoded copy

	return SavedItem{Key: key, Item: item, Existed: ok}, nil
}

// RestoreItem puts a saved item back as it was (or deletes it when there
// was none), keeping the indexes in step.
func (t *Table) RestoreItem(s SavedItem) error {
	if s.Existed {
		_, err := t.Put(&types.PutItemInput{Item: s.Item})
		return err
	}

	cur, ok := t.Item(s.Key)
	if !ok {
		return nil
	}

	_, err := t.Delete(&types.DeleteItemInput{Key: t.KeySchema.getKeyItem(cur)})

	return err
}
