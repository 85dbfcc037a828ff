(local s "unterminated)
