package explore

import (
	"context"
	"testing"
	"time"

	"datachat/chat"
	"datachat/datasets"
)

// timedCatalog logs how long each query takes.
type timedCatalog struct {
	chat.Catalog
	t testing.TB
}

func (c timedCatalog) Query(ctx context.Context, sql string, maxRows int) (*datasets.Result, error) {
	start := time.Now()
	res, err := c.Catalog.Query(ctx, sql, maxRows)
	c.t.Logf("%6.1fms %.150s", float64(time.Since(start).Microseconds())/1000, sql)
	return res, err
}
