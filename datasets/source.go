package datasets

import (
	"context"
	"errors"

	"datachat/datasets/fetch"
)

// Guarded adapts the guarded fetcher to the catalog's Fetcher.
func Guarded(f *fetch.Fetcher) Fetcher { return guarded{f} }

type guarded struct{ f *fetch.Fetcher }

func (g guarded) Fetch(ctx context.Context, source string, progress func(done, total int64)) (*Source, error) {
	file, err := g.f.Fetch(ctx, source, progress)
	if err != nil {
		return nil, err
	}
	return &Source{Path: file.Path, Name: file.Name, Ext: file.Ext, ContentType: file.ContentType, Size: file.Size, Remote: file.Remote, SHA256: file.SHA256}, nil
}

// fetchUserError reports whether err is a fetch failure the client can fix
// (a bad path or URL, a refused address, a file too large): all but cache faults.
func fetchUserError(err error) bool {
	var fe *fetch.Error
	return errors.As(err, &fe) && !errors.Is(err, fetch.ErrCache)
}
