package client

import (
	"fmt"
	"net/http"
)

// MaxListItems is the longest list, of images or of an image's members, that
// a read accepts: far above what one project can see or share, at any page
// size. It bounds the pages a list may take (maxPages), so a server that
// answers every marker with a new page forever is stopped, while no real
// list is refused at any page size.
const MaxListItems = 100_000

// maxPages is how many requests a list of MaxListItems items may take at
// pageSize, one final empty page included.
func maxPages(pageSize int) int { return (MaxListItems+pageSize-1)/pageSize + 1 }

// pageSizeOr is size, or def when size is 0, refused outside
// 1..MaxPageSize; op names the call in the error.
func pageSizeOr(size, def int, op string) (int, error) {
	if size == 0 {
		size = def
	}
	if size < 1 || size > MaxPageSize {
		return 0, fmt.Errorf("%s: page size %d is outside 1..%d", op, size, MaxPageSize)
	}
	return size, nil
}

// readPages is the loop of both paged lists (ListImageMembers and
// ListImages): it calls page with the page's number (1 for the first) and
// the marker to send ("" for the first), until page says the list ended,
// and returns how many pages it read. A chain of more pages than a list of
// MaxListItems needs at pageSize is refused as a ResponseError on path,
// never returned as a partial list; items names what is listed.
//
// What ends a list, what the next marker is and what a repeat means are
// each list's own, because their markers differ:
//   - members: the server hands out an opaque next_marker and the list
//     ends without one. A loop shows as a next_marker already seen (an
//     error). A member listed twice is not a loop but membership changing
//     while paging: it is kept once and reported in Duplicates, the same
//     on every page, so the result never depends on the page size.
//   - images: the marker is the last image's ID and the list ends with an
//     empty page. There is no marker of the server's to compare, so an
//     image listed twice is the only sign that the marker did not advance:
//     a looping server, an error (IMAGES-AND-SHARING "Paging").
func readPages(path, items string, pageSize int, page func(n int, marker string) (next string, done bool, requestID string, err error)) (int, error) {
	limit := maxPages(pageSize)
	marker, lastRequestID := "", ""
	for n := 1; ; n++ {
		if n > limit {
			return n - 1, &ResponseError{Method: http.MethodGet, Path: path, RequestID: lastRequestID,
				Reason: fmt.Sprintf("the list did not end after %d pages of %d, more than %d %s; refusing a partial list",
					limit, pageSize, MaxListItems, items)}
		}
		next, done, requestID, err := page(n, marker)
		if err != nil || done {
			return n, err
		}
		marker, lastRequestID = next, requestID
	}
}
