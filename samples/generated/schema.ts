/** The shape of a book as the HTTP API returns it. Maintained by hand. */
export interface BookDto {
  isbn: string;
  title: string;
  authors: string[];
  publishedYear: number;
  tags: string[];
}
