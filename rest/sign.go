package rest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"
)

// signer makes and checks chart links that carry their own authority: an
// HMAC-SHA256 over the chart id and the link's expiry, so that an <img> tag
// can load the chart without an Authorization header while a tampered,
// truncated or expired link is refused.
type signer struct{ key []byte }

// newSigner uses key, or 32 random bytes when key is empty (links then
// last until the server restarts).
func newSigner(key []byte) signer {
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key) // crypto/rand.Read never fails
	}
	return signer{key: append([]byte(nil), key...)}
}

func (s signer) mac(id string, exp int64) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("chart\x00"))
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write([]byte(strconv.FormatInt(exp, 10)))
	return m.Sum(nil)
}

// query returns the query string that signs a link to chart id until exp.
func (s signer) query(id string, exp time.Time) string {
	e := exp.Unix()
	return "exp=" + strconv.FormatInt(e, 10) + "&sig=" + base64.RawURLEncoding.EncodeToString(s.mac(id, e))
}

// linkState is what checking a link found.
type linkState int

const (
	linkValid linkState = iota
	linkBad             // missing, malformed or tampered signature
	linkExpired
)

// check verifies the exp and sig parameters of a link to chart id at now.
func (s signer) check(id, exp, sig string, now time.Time) linkState {
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || exp != strconv.FormatInt(e, 10) {
		return linkBad
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(id, e)) {
		return linkBad
	}
	if now.Unix() >= e {
		return linkExpired
	}
	return linkValid
}
