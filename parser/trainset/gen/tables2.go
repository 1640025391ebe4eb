package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

func housing(r *rng) ([]string, [][]string) {
	hoods := []string{"Riverside", "Old Town", "Maple Heights", "Harbor View", "Eastfield", "Westbrook"}
	premium := map[string]float64{"Riverside": 1.15, "Old Town": 1.3, "Maple Heights": 1.05, "Harbor View": 1.5, "Eastfield": 0.8, "Westbrook": 0.95}
	head := []string{"listing_id", "neighborhood", "property_type", "sqft", "bedrooms", "bathrooms", "year_built", "price_usd", "sale_date", "garage", "lot_acres", "hoa_fee_monthly", "school_rating"}
	var rows [][]string
	for i := range 200 {
		h := weighted(r, hoods, []float64{4, 3, 4, 2, 4, 3})
		pt := weighted(r, []string{"House", "Condo", "Townhouse"}, []float64{5, 3, 2})
		beds := r.between(1, 3)
		if pt == "House" {
			beds = r.between(2, 5)
		}
		sqft := int(math.Round((450*float64(beds) + r.uniform(150, 700)) / 10 * 10))
		baths := math.Max(1, math.Round((float64(beds)*0.7+r.uniform(-0.3, 0.8))*2)/2)
		yb := r.between(1925, 2022)
		price := float64(sqft) * 290 * premium[h] * r.uniform(0.85, 1.15)
		if yb > 2010 {
			price *= 1.1
		}
		price = math.Round(price/500) * 500
		garage := "no"
		if pt != "Condo" && r.chance(0.7) || pt == "Condo" && r.chance(0.15) {
			garage = "yes"
		}
		lot, hoa := "", ""
		if pt != "Condo" {
			lot = f(r.uniform(0.05, 0.6), 2)
		}
		if pt != "House" {
			hoa = itoa(10 * r.between(15, 60))
		}
		sale := day("2023-01-01").AddDate(0, 0, r.intn(540))
		rows = append(rows, []string{fmt.Sprintf("L-%d", 7001+i), h, pt, itoa(sqft), itoa(beds), f(baths, 1), itoa(yb), f(price, 0), ymd(sale), garage, lot, hoa, itoa(r.between(3, 10))})
	}
	return head, rows
}

func cars(r *rng) ([]string, [][]string) {
	makes := []string{"Ardent", "Velora", "Kestrel", "Norvik", "Tessaro", "Bramble"}
	bodies := []string{"sedan", "SUV", "hatchback", "pickup", "coupe", "minivan"}
	colors := []string{"black", "white", "silver", "red", "blue", "green", "orange"}
	head := []string{"make", "model", "model_year", "body", "fuel", "cylinders", "hp", "mpg_city", "mpg_hwy", "msrp_usd", "weight_kg", "awd", "colors_available"}
	var rows [][]string
	seen := map[string]bool{}
	for len(rows) < 150 {
		mk := pick(r, makes)
		name := pick(r, []string{"Aster", "Brio", "Corsa", "Dune", "Echo", "Flint", "Gale", "Halo", "Ion", "Jade", "Kite", "Lumen", "Mesa", "Nova", "Orbit", "Pike", "Quill", "Ridge", "Sable", "Terra"})
		body := weighted(r, bodies, []float64{5, 6, 3, 2, 1, 1})
		model := name + " " + map[string]string{"sedan": "S", "SUV": "X", "hatchback": "H", "pickup": "T", "coupe": "C", "minivan": "V"}[body]
		year := r.between(2018, 2024)
		key := mk + model + itoa(year)
		if seen[key] {
			continue
		}
		seen[key] = true
		fuel := weighted(r, []string{"gasoline", "diesel", "hybrid", "electric"}, []float64{8, 2, 3, float64(year-2016) / 2})
		weight := map[string]float64{"sedan": 1450, "SUV": 1900, "hatchback": 1250, "pickup": 2200, "coupe": 1400, "minivan": 2000}[body] * r.uniform(0.9, 1.1)
		cyl, mpgc, mpgh := "", "", ""
		hp := 0.0
		switch fuel {
		case "electric":
			weight *= 1.2
			hp = r.uniform(180, 480)
		default:
			c := weighted(r, []int{3, 4, 6, 8}, []float64{1, 8, 3, 1})
			if body == "pickup" && c < 6 {
				c = 6
			}
			cyl = itoa(c)
			hp = float64(c)*r.uniform(32, 48) + 20
			mpg := 4200 / (weight / 10) * (1 - float64(c-4)*0.08) * r.uniform(0.9, 1.1)
			if fuel == "hybrid" {
				mpg *= 1.45
			}
			if fuel == "diesel" {
				mpg *= 1.15
			}
			mpgc = itoa(int(math.Round(mpg)))
			mpgh = itoa(int(math.Round(mpg * r.uniform(1.18, 1.32))))
		}
		price := 18000 + hp*95 + weight*4 + r.uniform(-2500, 4000)
		if fuel == "electric" {
			price += 9000
		}
		awd := "N"
		if body == "SUV" && r.chance(0.7) || body == "pickup" && r.chance(0.8) || r.chance(0.1) {
			awd = "Y"
		}
		rows = append(rows, []string{mk, model, itoa(year), body, fuel, cyl, itoa(int(math.Round(hp))), mpgc, mpgh, f(math.Round(price/50)*50, 0), f(weight, 0), awd, strings.Join(sample(r, colors, r.between(2, 5)), "; ")})
	}
	return head, rows
}

func movies(r *rng) ([]string, [][]string) {
	adj := []string{"Silent", "Crimson", "Last", "Hidden", "Golden", "Broken", "Endless", "Distant", "Electric", "Frozen", "Wild", "Midnight", "Paper", "Velvet", "Iron"}
	noun := []string{"Harbor", "Garden", "Signal", "Empire", "River", "Letter", "Orchard", "Frontier", "Mirror", "Lantern", "Station", "Kingdom", "Horizon", "Circus", "Voyage"}
	genres := []string{"drama", "comedy", "thriller", "romance", "action", "horror", "sci-fi", "animation", "documentary"}
	directors := []string{"Ana Ferreira", "Jonas Lindqvist", "Mei Zhang", "Tunde Okafor", "Clara Moreau", "Rahul Chowdhury", "Sven Eriksen", "Lucia Gallo", "Kenji Nakamura", "Maria Alvarez"}
	countries := []string{"USA", "UK", "France", "Japan", "India", "Nigeria", "Sweden", "Italy", "Mexico"}
	head := []string{"title", "release_year", "genres", "runtime_min", "director", "country", "budget_musd", "box_office_musd", "rating", "votes", "won_award"}
	var rows [][]string
	seen := map[string]bool{}
	for len(rows) < 160 {
		title := "The " + pick(r, adj) + " " + pick(r, noun)
		if r.chance(0.25) {
			title = pick(r, noun) + " of " + pick(r, []string{"Ash", "Glass", "Salt", "Stone", "Smoke", "Rain"})
		}
		if seen[title] {
			continue
		}
		seen[title] = true
		gs := sample(r, genres, weighted(r, []int{1, 2, 3}, []float64{3, 5, 2}))
		q := make([]string, len(gs))
		for i, g := range gs {
			q[i] = "'" + g + "'"
		}
		budget := math.Round(math.Exp(r.normal(3, 0.9))*10) / 10
		gross := ""
		if !r.chance(0.1) {
			gross = f(math.Round(budget*math.Exp(r.normal(0.6, 0.8))*10)/10, 1)
		}
		rating := clamp(r.normal(6.6, 0.9), 2.5, 9.4)
		won := "False"
		if rating > 7.6 && r.chance(0.5) {
			won = "True"
		}
		rows = append(rows, []string{title, itoa(r.between(1995, 2024)), "[" + strings.Join(q, ", ") + "]", itoa(r.between(82, 168)), pick(r, directors), weighted(r, countries, []float64{8, 3, 3, 2, 2, 1, 1, 1, 1}),
			f(budget, 1), gross, f(rating, 1), itoa(int(math.Exp(r.normal(10, 1.2)))), won})
	}
	return head, rows
}

func musicCharts(r *rng) ([]string, [][]string) {
	artists := []string{"Nova Lane", "The Paper Kites Club", "DJ Orbit", "Mara Voss", "Silver Tongues", "Kai Rivers", "Luna Park", "The Static Hearts", "Amara", "Juno & the Waves"}
	labels := map[string]string{}
	for i, a := range artists {
		labels[a] = []string{"Northstar Records", "Bluefin Music", "Echo Valley"}[i%3]
	}
	words := []string{"Neon", "Summer", "Gravity", "Paper", "Fire", "Ocean", "Midnight", "Golden", "Quiet", "Runaway", "Echoes", "Satellite", "Heartbeat", "Wildflower", "Thunder", "Velvet", "Daydream", "Comet", "Mirage", "Cascade"}
	type song struct {
		title, artist string
		start         int
		peak          float64
		weeks         int
	}
	var songs []song
	seen := map[string]bool{}
	for i := 0; len(songs) < 36; i++ {
		t := words[i%len(words)] + " " + pick(r, []string{"Nights", "Love", "Road", "Dreams", "Sky", "Lights", "Heart", "Rain"})
		if seen[t] {
			continue
		}
		seen[t] = true
		songs = append(songs, song{t, pick(r, artists), r.between(-14, 22), r.uniform(200, 900), 0})
	}
	head := []string{"chart_week", "rank", "track", "artist", "label", "weeks_on_chart", "streams_k", "new_entry"}
	var rows [][]string
	for wk := range 26 {
		type sc struct {
			i int
			v float64
		}
		var cands []sc
		for i, s := range songs {
			age := float64(wk - s.start)
			if age < 0 {
				continue
			}
			v := s.peak * math.Exp(-math.Pow(age-3, 2)/40) * r.uniform(0.9, 1.1)
			cands = append(cands, sc{i, v})
		}
		sort.Slice(cands, func(a, b int) bool { return cands[a].v > cands[b].v })
		for rank := 1; rank <= 10 && rank <= len(cands); rank++ {
			c := cands[rank-1]
			s := &songs[c.i]
			s.weeks++
			rows = append(rows, []string{ymd(day("2024-01-06").AddDate(0, 0, 7*wk)), itoa(rank), s.title, s.artist, labels[s.artist], itoa(s.weeks), f(c.v*10, 0), fmt.Sprint(s.weeks == 1)})
		}
	}
	return head, rows
}

func football(r *rng) ([]string, [][]string) {
	teams := []string{"Riverside FC", "Northgate United", "Ashford Town", "Kingsbridge Rovers", "Millbrook Athletic", "Port Ellis", "Harrow Vale", "Stanton City"}
	strength := map[string]float64{"Riverside FC": 1.7, "Northgate United": 1.5, "Ashford Town": 1.2, "Kingsbridge Rovers": 1.3, "Millbrook Athletic": 1.0, "Port Ellis": 0.9, "Harrow Vale": 1.1, "Stanton City": 1.4}
	refs := []string{"M. Dean", "A. Taylor", "S. Attwell", "C. Pawson", "R. Jones"}
	poisson := func(l float64) int {
		k, p, L := 0, 1.0, math.Exp(-l)
		for {
			p *= r.float()
			if p < L {
				return k
			}
			k++
		}
	}
	head := []string{"Date", "Season", "HomeTeam", "AwayTeam", "FTHG", "FTAG", "FTR", "HTHG", "HTAG", "Attendance", "Referee"}
	var rows [][]string
	for si, season := range []string{"2022/23", "2023/24"} {
		start := day("2022-08-06").AddDate(1*si, 0, 0)
		var fixtures [][2]string
		for _, h := range teams {
			for _, a := range teams {
				if h != a {
					fixtures = append(fixtures, [2]string{h, a})
				}
			}
		}
		for i := len(fixtures) - 1; i > 0; i-- {
			j := r.intn(i + 1)
			fixtures[i], fixtures[j] = fixtures[j], fixtures[i]
		}
		for i, fx := range fixtures {
			hg := poisson(strength[fx[0]] * 1.15)
			ag := poisson(strength[fx[1]] * 0.9)
			res := "D"
			if hg > ag {
				res = "H"
			} else if ag > hg {
				res = "A"
			}
			hth, hta := 0, 0
			for range hg {
				if r.chance(0.45) {
					hth++
				}
			}
			for range ag {
				if r.chance(0.45) {
					hta++
				}
			}
			date := start.AddDate(0, 0, 7*(i/4)+r.intn(2))
			att := int(18000*strength[fx[0]] + r.uniform(-3000, 3000))
			rows = append(rows, []string{date.Format("02/01/2006"), season, fx[0], fx[1], itoa(hg), itoa(ag), res, itoa(hth), itoa(hta), itoa(att), pick(r, refs)})
		}
	}
	return head, rows
}

func marathon(r *rng) ([]string, [][]string) {
	countries := []string{"KEN", "ETH", "USA", "JPN", "GBR", "GER", "BRA", "MEX", "ESP", "CAN"}
	type runner struct {
		name, country, gender string
		age, sec              int
		pb, first             bool
	}
	var rs []runner
	for range 300 {
		g := weighted(r, []string{"M", "F"}, []float64{6, 4})
		age := int(clamp(math.Round(r.normal(39, 10)), 18, 76))
		base := 12600.0
		if g == "F" {
			base = 13900
		}
		sec := base*(1+0.004*math.Max(0, float64(age-35))) + r.normal(0, 1900)
		c := weighted(r, countries, []float64{1, 1, 6, 2, 3, 3, 2, 2, 3, 2})
		if c == "KEN" || c == "ETH" {
			sec -= 2200
		}
		sec = math.Max(sec, 7400+r.uniform(0, 300))
		rs = append(rs, runner{personOf(r, g), c, g, age, int(sec), r.chance(0.22), r.chance(0.18)})
	}
	sort.Slice(rs, func(a, b int) bool { return rs[a].sec < rs[b].sec })
	head := []string{"place", "bib", "runner", "country", "gender", "age", "age_group", "finish_time", "finish_seconds", "pace_min_per_km", "personal_best", "first_marathon"}
	var rows [][]string
	for i, x := range rs {
		lo := x.age / 5 * 5
		grp := fmt.Sprintf("%s%d-%d", x.gender, lo, lo+4)
		if x.age < 20 {
			grp = x.gender + "18-19"
		}
		pace := float64(x.sec) / 60 / 42.195
		first := x.first
		pb := x.pb || first
		rows = append(rows, []string{itoa(i + 1), itoa(1001 + (i*7919)%300), x.name, x.country, x.gender, itoa(x.age), grp,
			fmt.Sprintf("%d:%02d:%02d", x.sec/3600, x.sec/60%60, x.sec%60), itoa(x.sec), f(pace, 2), fmt.Sprint(pb), fmt.Sprint(first)})
	}
	return head, rows
}
