package datasets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"datachat/formats"
)

// ingestFunction is the table function through which a Go reader's batches
// reach DuckDB: CREATE TABLE ... AS SELECT ... FROM datachat_ingest(id) scans
// the batches of the pending ingest with that id, each copied into one data
// chunk. Client SQL cannot call it (it is not on the sandbox's allow list),
// and an id names an ingest only while its load runs.
const ingestFunction = "datachat_ingest"

// ingestDepth is how many decoded batches may wait for DuckDB: enough for
// the reader to run ahead while DuckDB appends, few enough to stay small.
const ingestDepth = 4

// ingests are a catalog's pending ingests by id.
type ingests struct {
	mu   sync.Mutex
	next int64
	m    map[int64]*ingest
}

func (s *ingests) add(in *ingest) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[int64]*ingest{}
	}
	s.next++
	s.m[s.next] = in
	return s.next
}

func (s *ingests) remove(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// take returns the ingest with id while its load runs (DuckDB may bind the
// function more than once for one statement; only the statement's scan
// reads the batches).
func (s *ingests) take(id int64) (*ingest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.m[id]
	return in, ok
}

// registerIngest makes the ingest table function available in the
// catalog's database (it is registered once, for every connection).
func (c *Catalog) registerIngest(ctx context.Context) error {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("get connection: %w", err)
	}
	defer conn.Close()
	id, err := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	if err != nil {
		return fmt.Errorf("ingest function: %w", err)
	}
	err = duckdb.RegisterTableUDF(conn, ingestFunction, duckdb.ChunkTableFunction{
		Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{id}},
		BindArguments: func(_ map[string]any, args ...any) (duckdb.ChunkTableSource, error) {
			n, _ := args[0].(int64)
			in, ok := c.ingests.take(n)
			if !ok {
				return nil, fmt.Errorf("%s: no pending load %d", ingestFunction, n)
			}
			return in, nil
		},
	})
	if err != nil {
		return fmt.Errorf("register %s: %w", ingestFunction, err)
	}
	return nil
}

// ingest carries one table's batches from its reader to DuckDB. The reader
// runs on its own goroutine (read) and hands full batches over filled;
// DuckDB's FillChunk copies each into a data chunk and gives it back.
type ingest struct {
	t        *formats.Table
	progress func(int64)

	free   chan *formats.Batch
	filled chan *formats.Batch
	done   chan struct{} // closed when DuckDB no longer reads
	exited chan struct{} // closed when the reader goroutine returned
	ctx    context.Context
	cancel context.CancelFunc

	// Set by the reader goroutine; read after exited is closed.
	err  error
	rows int64
	// labelled[i] says whether every value of column i read so far has a
	// value label.
	labelled []bool
}

var _ duckdb.ChunkTableSource = (*ingest)(nil)

func newIngest(t *formats.Table, progress func(int64)) *ingest {
	in := &ingest{
		t: t, progress: progress,
		free:     make(chan *formats.Batch, ingestDepth),
		filled:   make(chan *formats.Batch, ingestDepth),
		done:     make(chan struct{}),
		exited:   make(chan struct{}),
		labelled: make([]bool, len(t.Columns)),
	}
	for i, col := range t.Columns {
		in.labelled[i] = len(col.ValueLabels) > 0
	}
	size := min(formats.BatchSize, duckdb.GetDataChunkCapacity())
	for range ingestDepth {
		in.free <- formats.NewBatch(t.Columns, size)
	}
	return in
}

// start runs the reader until its rows end, it fails, ctx ends or stop is
// called.
func (in *ingest) start(ctx context.Context) {
	in.ctx, in.cancel = context.WithCancel(ctx)
	go in.read()
}

// stop ends the reader (when DuckDB stopped reading early) and returns its
// error, if any.
func (in *ingest) stop() error {
	close(in.done)
	in.cancel()
	<-in.exited
	if in.err != nil && !errors.Is(in.err, errStopped) {
		return in.err
	}
	return nil
}

var errStopped = errors.New("ingest stopped")

func (in *ingest) read() {
	defer close(in.exited)
	defer close(in.filled)
	next := int64(progressEvery)
	for {
		var b *formats.Batch
		select {
		case b = <-in.free:
		case <-in.done:
			in.err = errStopped
			return
		}
		if err := in.ctx.Err(); err != nil {
			in.err = err
			return
		}
		err := in.t.Rows.Next(b)
		if err != nil && err != io.EOF {
			in.err = fmt.Errorf("row %d: %w", in.rows+int64(b.Len)+1, err)
			return
		}
		if b.Len > 0 {
			in.checkLabels(b)
			in.rows += int64(b.Len)
			select {
			case in.filled <- b:
			case <-in.done:
				in.err = errStopped
				return
			}
			if in.rows >= next {
				in.progress(in.rows)
				next = (in.rows/progressEvery + 1) * progressEvery
			}
		}
		if err == io.EOF {
			return
		}
	}
}

// checkLabels updates labelled with the values of b.
func (in *ingest) checkLabels(b *formats.Batch) {
	for i, ok := range in.labelled {
		if !ok {
			continue
		}
		labels := in.t.Columns[i].ValueLabels
		v := &b.Cols[i]
		for r := 0; r < b.Len && ok; r++ {
			if v.Null[r] {
				continue
			}
			switch v.Kind {
			case formats.Int64:
				_, ok = labels[v.Int[r]]
			case formats.Float64:
				_, ok = labels[v.Float[r]]
			case formats.String:
				_, ok = labels[v.Str[r]]
			default:
				ok = false
			}
		}
		in.labelled[i] = ok
	}
}

// ColumnInfos implements duckdb.ChunkTableSource: c0, c1, ... with dates,
// timestamps and times as BIGINT (ingestExpr converts them).
func (in *ingest) ColumnInfos() []duckdb.ColumnInfo {
	out := make([]duckdb.ColumnInfo, len(in.t.Columns))
	for i, col := range in.t.Columns {
		typ := duckdb.TYPE_BIGINT
		switch col.Kind {
		case formats.String:
			typ = duckdb.TYPE_VARCHAR
		case formats.Float64:
			typ = duckdb.TYPE_DOUBLE
		case formats.Bool:
			typ = duckdb.TYPE_BOOLEAN
		}
		ti, err := duckdb.NewTypeInfo(typ)
		if err != nil {
			panic(err) // primitive types always have a TypeInfo
		}
		out[i] = duckdb.ColumnInfo{Name: fmt.Sprintf("c%d", i), T: ti}
	}
	return out
}

// Cardinality implements duckdb.ChunkTableSource.
func (in *ingest) Cardinality() *duckdb.CardinalityInfo {
	if in.t.RowCount < 0 {
		return nil
	}
	return &duckdb.CardinalityInfo{Cardinality: uint(in.t.RowCount)}
}

// Init implements duckdb.ChunkTableSource.
func (in *ingest) Init() {}

// FillChunk implements duckdb.ChunkTableSource: it copies the next decoded
// batch into chunk, or ends the scan.
func (in *ingest) FillChunk(chunk duckdb.DataChunk) error {
	var b *formats.Batch
	var ok bool
	select {
	case b, ok = <-in.filled:
	case <-in.ctx.Done():
		return in.ctx.Err()
	}
	if !ok {
		// The reader finished; its error, if any, is reported by stop.
		if in.err != nil {
			return in.err
		}
		return chunk.SetSize(0)
	}
	for c := range b.Cols {
		if err := copyVector(chunk, c, &b.Cols[c], b.Len); err != nil {
			return err
		}
	}
	n := b.Len
	in.free <- b
	return chunk.SetSize(n)
}

// copyVector copies the first n rows of v into column c of chunk.
func copyVector(chunk duckdb.DataChunk, c int, v *formats.Vector, n int) error {
	var err error
	switch v.Kind {
	case formats.String:
		err = copyValues(chunk, c, v.Null[:n], v.Str)
	case formats.Float64:
		err = copyValues(chunk, c, v.Null[:n], v.Float)
	case formats.Bool:
		err = copyValues(chunk, c, v.Null[:n], v.Bool)
	default:
		err = copyValues(chunk, c, v.Null[:n], v.Int)
	}
	if err != nil {
		return fmt.Errorf("copy column %d: %w", c+1, err)
	}
	return nil
}

func copyValues[T any](chunk duckdb.DataChunk, c int, null []bool, vals []T) error {
	for r, isNull := range null {
		var err error
		if isNull {
			err = chunk.SetValue(c, r, nil)
		} else {
			err = duckdb.SetChunkValue(chunk, c, r, vals[r])
		}
		if err != nil {
			return err
		}
	}
	return nil
}
