"""ParsedItem -> ArticleRecord: text cleanup, datelines and agencies, dates, language, fingerprints."""
