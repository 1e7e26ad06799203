//! CoNLL-2003 files as training and evaluation data: documents of
//! sentences of (word, gold tag), the tag in IOB2 whatever the file used.

/// One sentence: its words and their gold tags (IOB2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelledSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// One `-DOCSTART-` block.
pub type LabelledDocument = Vec<LabelledSentence>;

/// Reads CoNLL text: token first, gold tag last. Lines before the first
/// `-DOCSTART-` form a document of their own; empty documents are dropped.
pub fn parse_corpus(text: &str) -> Vec<LabelledDocument> {
    let mut documents = Vec::new();
    let mut document: LabelledDocument = Vec::new();
    let mut sentence = LabelledSentence::default();
    for line in text.lines() {
        let columns: Vec<&str> = line.split_whitespace().collect();
        let docstart = columns.first() == Some(&"-DOCSTART-");
        if columns.is_empty() || docstart {
            if !sentence.words.is_empty() {
                document.push(to_iob2(std::mem::take(&mut sentence)));
            }
            if docstart && !document.is_empty() {
                documents.push(std::mem::take(&mut document));
            }
            continue;
        }
        sentence.words.push(columns[0].to_string());
        sentence
            .tags
            .push(columns.get(1..).and_then(|rest| rest.last()).unwrap_or(&"O").to_string());
    }
    if !sentence.words.is_empty() {
        document.push(to_iob2(sentence));
    }
    if !document.is_empty() {
        documents.push(document);
    }
    documents
}

/// IOB1 (or IOB2) tags as IOB2: an `I-X` that does not continue an `X`
/// starts one.
pub fn to_iob2(mut sentence: LabelledSentence) -> LabelledSentence {
    let mut previous_type = String::new();
    for tag in &mut sentence.tags {
        let (prefix, kind) = match tag.split_once('-') {
            Some((prefix, kind)) => (prefix.to_string(), kind.to_string()),
            None => {
                previous_type.clear();
                *tag = "O".into();
                continue;
            }
        };
        if prefix == "I" && kind != previous_type {
            *tag = format!("B-{kind}");
        }
        previous_type = kind;
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documents_and_converts_to_iob2() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\n\
                    Bonn NNP I-NP I-LOC\nBerlin NNP I-NP B-LOC\nNew NNP I-NP I-LOC\n\n\
                    -DOCSTART- -X- O O\n\nx O\n";
        let corpus = parse_corpus(text);
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus[0].len(), 2);
        assert_eq!(corpus[0][0].tags, ["B-ORG", "O"]);
        assert_eq!(corpus[0][1].words, ["Bonn", "Berlin", "New"]);
        assert_eq!(corpus[0][1].tags, ["B-LOC", "B-LOC", "I-LOC"]);
        assert_eq!(corpus[1][0].tags, ["O"]);
    }
}
