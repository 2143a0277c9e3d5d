//! Fuzz target: the service macro's front end. Input: UTF-8 text, the attribute's arguments on the first line and
//! the item after it. Whatever tokens come in, the macro must return tokens that parse as Rust items (the generated
//! code, `compile_error!`s, or both), never panic.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let (args, item) = text.split_once('\n').unwrap_or(("", text));
        // Text that is not tokens never reaches a macro: rustc's lexer refuses it first.
        let (Ok(args), Ok(item)) = (
            args.parse::<proc_macro2::TokenStream>(),
            item.parse::<proc_macro2::TokenStream>(),
        ) else {
            return;
        };
        let out = hello_fuzz::expand::service(args, item);
        if let Err(e) = syn::parse2::<syn::File>(out.clone()) {
            panic!("the macro's output is not Rust items: {e}\n{out}");
        }
    });
}
