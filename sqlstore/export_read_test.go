package sqlstore

// DecodeDoc is decodeDoc, for tests.
var DecodeDoc = decodeDoc
