// TetherTemplate: Go's text/template language (lexer, parser, executor, Go fmt verbs and the
// value model with Go's types), with no knowledge of Helm. Helm's functions live in TetherHelm.
