//! Rustdoc (`///` lines, `#[doc = "..."]`) as the text of a protobuf comment: one line per doc line, the space
//! after the slashes kept, as protoc keeps the space after `//`.

use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// The doc comment of an item, lines joined by `\n`; empty when it has none.
pub fn doc_text(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let Meta::NameValue(pair) = &attr.meta
            && let Expr::Lit(ExprLit {
                lit: Lit::Str(text),
                ..
            }) = &pair.value
        {
            // A `/** ... */` block holds several lines in one attribute; an empty `///` is an empty line (which
            // `str::lines` would drop).
            lines.extend(text.value().split('\n').map(|l| l.trim_end().to_owned()));
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_keep_their_leading_space() {
        let item: syn::ItemStruct = syn::parse_quote! {
            /// A point.
            ///
            /// In degrees.
            #[derive(Clone)]
            struct Point;
        };
        assert_eq!(doc_text(&item.attrs), " A point.\n\n In degrees.");
        let bare: syn::ItemStruct = syn::parse_quote!(
            struct Bare;
        );
        assert_eq!(doc_text(&bare.attrs), "");
    }
}
