package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

func earthquakes(r *rng) ([]string, [][]string) {
	type zone struct {
		region, country string
		lat, lon, depth float64
	}
	zones := []zone{
		{"Hokkaido", "Japan", 42.5, 143, 40}, {"Kyushu", "Japan", 32.5, 131, 15}, {"Central Chile", "Chile", -33.5, -71.8, 30},
		{"Sumatra", "Indonesia", -1, 99.5, 35}, {"Alaska Peninsula", "United States", 56, -157, 45}, {"Southern California", "United States", 34, -117, 10},
		{"Anatolia", "Turkey", 38.5, 38, 12}, {"Tonga", "Tonga", -20, -174.5, 120}, {"Iceland", "Iceland", 64, -21.5, 6}, {"Papua", "Papua New Guinea", -5.5, 151.5, 60},
	}
	head := []string{"event_id", "time_utc", "latitude", "longitude", "depth_km", "magnitude", "mag_type", "region", "country", "tsunami", "felt_reports", "alert"}
	var rows [][]string
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	secs := 0
	for i := range 200 {
		z := weighted(r, zones, []float64{4, 3, 4, 4, 4, 5, 3, 2, 2, 3})
		secs += r.between(3600, 160000)
		mag := 4.5 + math.Min(3.9, -math.Log(1-r.float())*0.55)
		depth := math.Max(1, z.depth*math.Exp(r.normal(0, 0.5)))
		mt := "mb"
		if mag >= 6 {
			mt = "mww"
		} else if z.country == "United States" || z.country == "Iceland" {
			mt = "ml"
		}
		tsu := "0"
		if mag >= 6.8 && depth < 60 && z.country != "Iceland" {
			tsu = "1"
		}
		felt, alert := "", ""
		if r.chance(0.55) || mag > 6 {
			felt = itoa(int(math.Exp(mag - 3.5 + r.normal(0, 1))))
		}
		switch {
		case mag >= 7:
			alert = "orange"
		case mag >= 6.2:
			alert = "yellow"
		case mag >= 5.5:
			alert = "green"
		}
		at := t0.Add(time.Duration(secs) * time.Second)
		rows = append(rows, []string{fmt.Sprintf("eq%04d", 1+i), at.Format("2006-01-02 15:04:05"), f(z.lat+r.normal(0, 1.2), 3), f(z.lon+r.normal(0, 1.2), 3), f(depth, 1),
			f(mag, 1), mt, z.region, z.country, tsu, felt, alert})
	}
	return head, rows
}

func elections(r *rng) ([]string, [][]string) {
	parties := []string{"Progress Party", "Unity Alliance", "Green League", "Citizens Front", "Independent"}
	lean := map[string][]float64{"North": {5, 3, 3, 2, 1}, "South": {3, 6, 1, 3, 1}, "Coast": {4, 3, 5, 1, 1}, "Interior": {3, 4, 1, 4, 2}}
	head := []string{"district", "region", "candidate", "party", "incumbent", "votes", "vote_share_pct", "elected", "turnout_pct", "registered_voters"}
	var rows [][]string
	regions := []string{"North", "South", "Coast", "Interior"}
	for d := 1; d <= 36; d++ {
		reg := regions[(d-1)%4]
		ps := []string{"Progress Party", "Unity Alliance"}
		for _, p := range parties[2:] {
			if r.chance(0.55) {
				ps = append(ps, p)
			}
		}
		regV := r.between(40000, 95000)
		turnout := clamp(r.normal(64, 7), 40, 85)
		total := int(float64(regV) * turnout / 100)
		ws := make([]float64, len(ps))
		sum := 0.0
		for i, p := range ps {
			idx := 0
			for j, q := range parties {
				if q == p {
					idx = j
				}
			}
			ws[i] = lean[reg][idx] * r.uniform(0.5, 1.5)
			sum += ws[i]
		}
		votes := make([]int, len(ps))
		best := 0
		for i := range ps {
			votes[i] = int(float64(total) * ws[i] / sum)
			if votes[i] > votes[best] {
				best = i
			}
		}
		inc := r.intn(len(ps))
		cast := 0
		for _, v := range votes {
			cast += v
		}
		for i, p := range ps {
			rows = append(rows, []string{fmt.Sprintf("District %d", d), reg, person(r), p, fmt.Sprint(i == inc && r.chance(0.8)), itoa(votes[i]),
				f(100*float64(votes[i])/float64(cast), 1), fmt.Sprint(i == best), f(turnout, 1), itoa(regV)})
		}
	}
	return head, rows
}

func jobPostings(r *rng) ([]string, [][]string) {
	type role struct {
		title  string
		skills []string
		base   float64
	}
	roles := []role{
		{"Data Analyst", []string{"sql", "excel", "tableau", "python"}, 68000}, {"Data Scientist", []string{"python", "sql", "statistics", "machine learning"}, 112000},
		{"Backend Developer", []string{"go", "sql", "docker", "kubernetes"}, 105000}, {"Frontend Developer", []string{"javascript", "typescript", "react", "css"}, 95000},
		{"DevOps Engineer", []string{"docker", "kubernetes", "terraform", "aws"}, 115000}, {"Product Manager", []string{"roadmapping", "sql", "communication"}, 120000},
		{"UX Designer", []string{"figma", "user research", "prototyping"}, 85000}, {"Data Engineer", []string{"python", "sql", "spark", "aws"}, 118000},
	}
	companies := []string{"Brightlane", "Northwind Analytics", "Quanta Labs", "Helio Health", "Cobalt Finance", "Parcel & Co", "Trellis Systems"}
	cities := []string{"New York", "San Francisco", "Austin", "Chicago", "Seattle", "Boston", "Denver"}
	levelMult := map[string]float64{"Entry": 0.72, "Mid": 1, "Senior": 1.3, "Lead": 1.55}
	head := []string{"job_id", "title", "company", "city", "remote", "employment_type", "experience_level", "salary_min_usd", "salary_max_usd", "posted_date", "skills", "applicants", "visa_sponsorship"}
	var rows [][]string
	for i := range 200 {
		ro := weighted(r, roles, []float64{5, 4, 5, 4, 3, 2, 2, 3})
		lvl := weighted(r, []string{"Entry", "Mid", "Senior", "Lead"}, []float64{3, 5, 4, 1})
		emp := weighted(r, []string{"Full-time", "Part-time", "Contract", "Internship"}, []float64{14, 1, 3, 1})
		if emp == "Internship" {
			lvl = "Entry"
		}
		k := r.between(2, len(ro.skills))
		sk := sample(r, ro.skills, k)
		if r.chance(0.2) {
			sk = append(sk, "git")
		}
		lo := math.Round(ro.base*levelMult[lvl]*r.uniform(0.85, 1.1)/1000) * 1000
		if emp == "Internship" {
			lo = math.Round(lo*0.5/1000) * 1000
		}
		hi := ""
		if !r.chance(0.15) {
			hi = f(lo+1000*float64(r.between(10, 40)), 0)
		}
		city := weighted(r, cities, []float64{5, 4, 3, 3, 3, 2, 2})
		rows = append(rows, []string{fmt.Sprintf("JP-%d", 5001+i), ro.title, pick(r, companies), city, fmt.Sprint(r.chance(0.35)), emp, lvl, f(lo, 0), hi,
			ymd(day("2024-02-01").AddDate(0, 0, r.intn(120))), strings.Join(sk, ";"), itoa(int(math.Exp(r.normal(3.6, 0.8)))), fmt.Sprint(r.chance(0.3))})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][9] < rows[b][9] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("JP-%d", 5001+i)
	}
	return head, rows
}
