package client

// MaxListItems is the longest list, of images or of an image's members, that
// a read accepts: far above what one project can see or share, at any page
// size. It bounds the pages a list may take (maxPages), so a server that
// answers every marker with a new page forever is stopped, while no real
// list is refused at any page size.
const MaxListItems = 100_000

// maxPages is how many requests a list of MaxListItems items may take at
// pageSize, one final empty page included.
func maxPages(pageSize int) int { return (MaxListItems+pageSize-1)/pageSize + 1 }
