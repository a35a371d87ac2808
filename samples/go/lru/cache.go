// Package lru provides a fixed-size cache that evicts the least recently used entry.
package lru

import "container/list"

type entry struct {
	key   string
	value []byte
}

// Cache keeps at most capacity entries. It is not safe for concurrent use.
type Cache struct {
	capacity int
	order    *list.List
	items    map[string]*list.Element
}

// New returns an empty cache that holds up to capacity entries.
func New(capacity int) *Cache {
	return &Cache{capacity: capacity, order: list.New(), items: make(map[string]*list.Element)}
}

// Get returns the value for key and marks it as most recently used.
func (c *Cache) Get(key string) ([]byte, bool) {
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*entry).value, true
	}
	return nil, false
}

// Put stores a value, evicting the least recently used entry when the cache is full.
func (c *Cache) Put(key string, value []byte) {
	if el, ok := c.items[key]; ok {
		el.Value.(*entry).value = value
		c.order.MoveToFront(el)
		return
	}
	if c.order.Len() >= c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*entry).key)
	}
	c.items[key] = c.order.PushFront(&entry{key: key, value: value})
}
