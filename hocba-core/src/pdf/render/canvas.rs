//! A small page-layout engine: a display list of text lines, rectangles and images per page,
//! with a cursor that moves down the page and breaks to a new page when content would pass the
//! bottom margin. Nothing is drawn outside the body of the page or outside its table cell.

use super::text::{self, Face, Line};

/// A4 portrait, in points.
pub(crate) const PAGE_W: f32 = 595.276;
/// A4 portrait, in points.
pub(crate) const PAGE_H: f32 = 841.89;
/// Margins (Decree 30/2020 style: wider on the left for binding).
pub(crate) const MARGIN_L: f32 = 62.0;
pub(crate) const MARGIN_R: f32 = 45.0;
pub(crate) const MARGIN_T: f32 = 45.0;
pub(crate) const MARGIN_B: f32 = 45.0;
/// The body width.
pub(crate) const BODY_W: f32 = PAGE_W - MARGIN_L - MARGIN_R;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.22;
/// Cell padding.
pub(crate) const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.0;

/// The two faces used.
pub(crate) struct Fonts<'a> {
    pub(crate) regular: Face<'a>,
    pub(crate) bold: Face<'a>,
}

impl<'a> Fonts<'a> {
    pub(crate) fn face(&self, bold: bool) -> &Face<'a> {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// One drawing operation; coordinates from the top-left corner of the page, y downwards.
pub(crate) enum Op {
    /// A line of text; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        line: Line,
    },
    /// A stroked rectangle.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        gray: bool,
    },
    /// The photo scaled into a box.
    Image { x: f32, y: f32, w: f32, h: f32 },
}

/// A signature box: the field name, the page index and the rectangle (top-left origin).
#[derive(Debug, Clone)]
pub(crate) struct SignatureBox {
    pub(crate) name: &'static str,
    pub(crate) page: usize,
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) w: f32,
    pub(crate) h: f32,
}

/// A column of a table.
pub(crate) struct Col {
    pub(crate) width: f32,
    pub(crate) title: &'static str,
    pub(crate) align: Align,
}

/// A row of a table.
pub(crate) enum Row {
    /// A bold row spanning every column (a group heading).
    Section(String),
    /// One text per column.
    Cells(Vec<String>),
}

/// The pages being laid out and the cursor.
pub(crate) struct Canvas<'f, 'a> {
    pub(crate) fonts: &'f Fonts<'a>,
    pub(crate) pages: Vec<Vec<Op>>,
    pub(crate) boxes: Vec<SignatureBox>,
    /// The cursor: the top of the next thing drawn.
    pub(crate) y: f32,
    /// A line printed in the top margin of pages started by a page break (the year page's
    /// continuation: whose page it is).
    pub(crate) continuation: Option<String>,
}

impl<'f, 'a> Canvas<'f, 'a> {
    pub(crate) fn new(fonts: &'f Fonts<'a>) -> Self {
        Canvas {
            fonts,
            pages: Vec::new(),
            boxes: Vec::new(),
            y: MARGIN_T,
            continuation: None,
        }
    }

    /// Starts a new page, cursor at the top margin.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_T;
    }

    pub(crate) fn page_index(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    pub(crate) fn bottom(&self) -> f32 {
        PAGE_H - MARGIN_B
    }

    /// The space left on the page below the cursor.
    pub(crate) fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    /// Breaks the page unless `h` points fit below the cursor.
    pub(crate) fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom() && self.y > MARGIN_T {
            self.break_page();
        }
    }

    /// A page break inside a flow: a new page with the continuation line, if any.
    pub(crate) fn break_page(&mut self) {
        self.new_page();
        if let Some(note) = self.continuation.clone() {
            let size = 9.0;
            let line = text::single(&self.fonts.regular, &note, size);
            let lines = if line.width > BODY_W {
                text::wrap(&self.fonts.regular, &note, size, BODY_W)
            } else {
                vec![line]
            };
            if let Some(line) = lines.into_iter().next() {
                self.draw_line(
                    MARGIN_L,
                    MARGIN_T - 24.0,
                    BODY_W,
                    Align::Right,
                    false,
                    size,
                    line,
                );
            }
        }
    }

    pub(crate) fn push(&mut self, op: Op) {
        if self.pages.is_empty() {
            self.new_page();
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub(crate) fn line_height(size: f32) -> f32 {
        size * LEADING
    }

    /// Draws one line of text whose line box starts at `top`, aligned in `[x, x + width]`.
    #[allow(clippy::too_many_arguments)] // a text run: position, box, alignment, style, line
    pub(crate) fn draw_line(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        align: Align,
        bold: bool,
        size: f32,
        line: Line,
    ) {
        let face = self.fonts.face(bold);
        let lh = Self::line_height(size);
        let baseline = top + (lh - (face.ascent + face.descent) * size) / 2.0 + face.ascent * size;
        let dx = match align {
            Align::Left => 0.0,
            Align::Center => ((width - line.width) / 2.0).max(0.0),
            Align::Right => (width - line.width).max(0.0),
        };
        self.push(Op::Text {
            x: x + dx,
            y: baseline,
            bold,
            size,
            line,
        });
    }

    /// Wraps a text into `[x, x + width]` at the cursor, breaking pages between lines.
    pub(crate) fn paragraph(
        &mut self,
        x: f32,
        width: f32,
        align: Align,
        bold: bool,
        size: f32,
        text: &str,
    ) {
        let lines = text::wrap(self.fonts.face(bold), text, size, width);
        let lh = Self::line_height(size);
        for line in lines {
            self.ensure(lh);
            let y = self.y;
            self.draw_line(x, y, width, align, bold, size, line);
            self.y += lh;
        }
    }

    /// A labelled value: the label in regular type, the value in bold after it, continuation
    /// lines aligned under the value. A value too long for the remaining width wraps.
    pub(crate) fn field(&mut self, x: f32, width: f32, size: f32, label: &str, value: &str) {
        self.field_with(x, width, size, label, value, false);
    }

    /// A labelled value; `heading`: the label in bold and the value in regular type.
    pub(crate) fn field_with(
        &mut self,
        x: f32,
        width: f32,
        size: f32,
        label: &str,
        value: &str,
        heading: bool,
    ) {
        let lh = Self::line_height(size);
        let (label_face, value_face) = if heading {
            (&self.fonts.bold, &self.fonts.regular)
        } else {
            (&self.fonts.regular, &self.fonts.bold)
        };
        let label_line = text::single(label_face, label, size);
        let mut indent = label_line.width + size * 0.3;
        if indent > width * 0.6 {
            indent = width * 0.6;
        }
        let label_lines = if label_line.width > width * 0.6 {
            text::wrap(label_face, label, size, width * 0.6 - size * 0.3)
        } else {
            vec![label_line]
        };
        let value_lines = text::wrap(value_face, value, size, width - indent);
        let n = label_lines.len().max(value_lines.len()).max(1);
        let mut label_lines = label_lines.into_iter();
        let mut value_lines = value_lines.into_iter();
        for _ in 0..n {
            self.ensure(lh);
            let y = self.y;
            if let Some(l) = label_lines.next() {
                self.draw_line(x, y, indent, Align::Left, heading, size, l);
            }
            if let Some(v) = value_lines.next() {
                self.draw_line(
                    x + indent,
                    y,
                    width - indent,
                    Align::Left,
                    !heading,
                    size,
                    v,
                );
            }
            self.y += lh;
        }
    }

    /// A table at the cursor, full body width split as `cols`; the header repeats on each page.
    pub(crate) fn table(&mut self, x: f32, cols: &[Col], rows: &[Row], size: f32) {
        let lh = Self::line_height(size);
        let total: f32 = cols.iter().map(|c| c.width).sum();
        let headers: Vec<Vec<Line>> = cols
            .iter()
            .map(|c| text::wrap(&self.fonts.bold, c.title, size, c.width - 2.0 * PAD_X))
            .collect();
        let header_h = headers.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD_Y;
        // The header and at least one line of the first row stay together.
        self.ensure(header_h + lh + 2.0 * PAD_Y);
        self.table_header(x, cols, &headers, header_h, size);
        for row in rows {
            let cells: Vec<(Vec<Line>, f32, f32, Align, bool)> = match row {
                Row::Section(title) => vec![(
                    text::wrap(&self.fonts.bold, title, size, total - 2.0 * PAD_X),
                    x,
                    total,
                    Align::Left,
                    true,
                )],
                Row::Cells(texts) => {
                    let mut cx = x;
                    cols.iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let t = texts.get(i).map_or("", String::as_str);
                            let lines =
                                text::wrap(&self.fonts.regular, t, size, c.width - 2.0 * PAD_X);
                            let cell = (lines, cx, c.width, c.align, false);
                            cx += c.width;
                            cell
                        })
                        .collect()
                }
            };
            let n = cells.iter().map(|c| c.0.len()).max().unwrap_or(0).max(1);
            let mut done = 0;
            while done < n {
                let fit = ((self.room() - 2.0 * PAD_Y) / lh).floor();
                let fit = if fit >= 1.0 { fit as usize } else { 0 };
                // Move a row that fits on a fresh page there whole; split only taller rows.
                let whole_fits_fresh =
                    (n - done) as f32 * lh + 2.0 * PAD_Y <= self.bottom() - MARGIN_T - header_h;
                let fresh = self.y <= MARGIN_T + header_h + 0.01;
                let fit = if fit == 0 && fresh { 1 } else { fit };
                if fit == 0 || (fit < n - done && whole_fits_fresh && done == 0 && !fresh) {
                    self.break_page();
                    self.table_header(x, cols, &headers, header_h, size);
                    continue;
                }
                let take = fit.min(n - done);
                let h = take as f32 * lh + 2.0 * PAD_Y;
                let top = self.y;
                for (lines, cx, cw, align, bold) in &cells {
                    self.push(Op::Rect {
                        x: *cx,
                        y: top,
                        w: *cw,
                        h,
                        width: 0.6,
                        gray: false,
                    });
                    for (k, line) in lines.iter().skip(done).take(take).enumerate() {
                        self.draw_line(
                            cx + PAD_X,
                            top + PAD_Y + k as f32 * lh,
                            cw - 2.0 * PAD_X,
                            *align,
                            *bold,
                            size,
                            line.clone(),
                        );
                    }
                }
                self.y += h;
                done += take;
                if done < n {
                    self.break_page();
                    self.table_header(x, cols, &headers, header_h, size);
                }
            }
        }
    }

    fn table_header(&mut self, x: f32, cols: &[Col], headers: &[Vec<Line>], h: f32, size: f32) {
        let lh = Self::line_height(size);
        let top = self.y;
        let mut cx = x;
        for (c, lines) in cols.iter().zip(headers) {
            self.push(Op::Rect {
                x: cx,
                y: top,
                w: c.width,
                h,
                width: 0.6,
                gray: false,
            });
            // Centre the header block vertically.
            let block = lines.len() as f32 * lh;
            let y0 = top + (h - block) / 2.0;
            for (k, line) in lines.iter().enumerate() {
                self.draw_line(
                    cx + PAD_X,
                    y0 + k as f32 * lh,
                    c.width - 2.0 * PAD_X,
                    Align::Center,
                    true,
                    size,
                    line.clone(),
                );
            }
            cx += c.width;
        }
        self.y += h;
    }
}
