package main

import (
	"math"
	"strconv"
	"time"
)

// rng is splitmix64: a fixed algorithm, so that a seed gives the same
// tables on every Go release and machine.
type rng struct{ s uint64 }

func newRNG(seed uint64) *rng { return &rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a value in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a value in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns an integer in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// uniform returns a value in [lo, hi).
func (r *rng) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

func (r *rng) chance(p float64) bool { return r.float() < p }

// normal returns a normally distributed value (Box-Muller).
func (r *rng) normal(mean, sd float64) float64 {
	u := 1 - r.float()
	v := r.float()
	return mean + sd*math.Sqrt(-2*math.Log(u))*math.Cos(2*math.Pi*v)
}

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// weighted picks xs[i] with probability w[i]/sum(w).
func weighted[T any](r *rng, xs []T, w []float64) T {
	total := 0.0
	for _, x := range w {
		total += x
	}
	u := r.float() * total
	for i, x := range w {
		if u < x {
			return xs[i]
		}
		u -= x
	}
	return xs[len(xs)-1]
}

// sample picks k distinct elements of xs, in xs order.
func sample[T any](r *rng, xs []T, k int) []T {
	idx := make([]bool, len(xs))
	for n := 0; n < k && n < len(xs); {
		i := r.intn(len(xs))
		if !idx[i] {
			idx[i] = true
			n++
		}
	}
	var out []T
	for i, x := range xs {
		if idx[i] {
			out = append(out, x)
		}
	}
	return out
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// f formats x with d decimals.
func f(x float64, d int) string { return strconv.FormatFloat(x, 'f', d, 64) }

func itoa(n int) string { return strconv.Itoa(n) }

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ymd(t time.Time) string { return t.Format("2006-01-02") }

// person makes a full name.
func person(r *rng) string { return pick(r, firstNames) + " " + pick(r, lastNames) }

// personOf makes a full name whose first name fits gender "F" or "M".
func personOf(r *rng, gender string) string {
	first := femaleNames
	if gender == "M" {
		first = maleNames
	}
	return pick(r, first) + " " + pick(r, lastNames)
}

var femaleNames = []string{
	"Aisha", "Carla", "Elena", "Grace", "Ines", "Keiko", "Maya", "Olivia", "Rosa", "Tara",
	"Vera", "Wen", "Ximena", "Zoe", "Bianca", "Daniela", "Freya", "Hana", "Julia", "Lena",
	"Nadia", "Priya", "Sofia", "Valentina", "Yara",
}

var maleNames = []string{
	"Ben", "Dmitri", "Farid", "Hiro", "Jamal", "Liam", "Nikolai", "Pedro", "Sanjay", "Umar",
	"Yusuf", "Arjun", "Chen", "Emeka", "Gustavo", "Ivan", "Kofi", "Marco", "Oscar", "Rafael",
	"Tomas", "Ugo", "Will", "Zain", "Quinn",
}

var firstNames = []string{
	"Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
	"Keiko", "Liam", "Maya", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa", "Sanjay", "Tara",
	"Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Arjun", "Bianca", "Chen", "Daniela",
	"Emeka", "Freya", "Gustavo", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia",
	"Oscar", "Priya", "Rafael", "Sofia", "Tomas", "Ugo", "Valentina", "Will", "Yara", "Zain",
}

var lastNames = []string{
	"Abara", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
	"Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quispe", "Rossi", "Sato", "Tanaka",
	"Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Alvarez", "Brennan", "Chowdhury", "Demir",
	"Engel", "Ferreira", "Gallo", "Horvat", "Iqbal", "Jovanovic", "Kim", "Lindqvist", "Mensah", "Nakamura",
}
