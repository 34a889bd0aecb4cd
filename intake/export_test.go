package intake

// ZipOf is zipOf for the tests of package intake_test.
var ZipOf = zipOf
