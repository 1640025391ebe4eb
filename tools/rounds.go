package tools

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"datachat/llm"
)

// chatState is what a chat call carries from one multi round-trip retry to
// the next in the requestState the client echoes back: the host model's
// replies so far, and the workspace and tables the first call loaded. It is
// signed, and bound to the call's arguments, so a state made for another
// call (or changed on the way) starts the answer afresh.
type chatState struct {
	Args      string      `json:"a"`
	Workspace string      `json:"w,omitempty"`
	Loaded    []string    `json:"l,omitempty"`
	Replies   []llm.Reply `json:"r"`
}

// sampleID names the n-th sampling request of an answer.
func sampleID(n int) string { return "sample-" + strconv.Itoa(n) }

func argsHash(args ChatArgs) string {
	b, _ := json.Marshal(args)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

func (d Deps) stateMAC(payload string) []byte {
	m := hmac.New(sha256.New, d.Datasets.Key())
	m.Write([]byte("chat state\x00" + payload))
	return m.Sum(nil)
}

func (d Deps) encodeChatState(st chatState) string {
	b, _ := json.Marshal(st)
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(d.stateMAC(payload))
}

// chatState decodes a retry's state; ok is false for a first call (or a
// state that is not this call's).
func (d Deps) chatState(raw string, args ChatArgs) (chatState, bool) {
	payload, sig, found := strings.Cut(raw, ".")
	if !found {
		return chatState{}, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, d.stateMAC(payload)) {
		return chatState{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var st chatState
	if err != nil || json.Unmarshal(b, &st) != nil || st.Args != argsHash(args) {
		return chatState{}, false
	}
	return st, true
}
