/** Reading a detained person's details from free text, both languages (SPEC §2.7). Table-driven. */
import { addedDetails, extractDetails, findANumber, findBirthDate, findCountry, findName, findPlace, findWhen, mergeDetails, missingFields } from '../../src/dialogue/case-details';

describe('extractDetails', () => {
  it.each([
    ['his name is Carlos Mejia, dob 3/2/1988, from honduras', { name: 'Carlos Mejia', birthDate: '3/2/1988', country: 'Honduras' }],
    ['se llama José Pérez, nació el 3 de mayo de 1985, es de Guatemala', { name: 'José Pérez', birthDate: '1985-05-03', country: 'Guatemala' }],
    ['her name is Ana Lucia Ramos born March 2, 1990 in El Salvador', { name: 'Ana Lucia Ramos', birthDate: '1990-03-02', country: 'El Salvador' }],
    ['nombre: Maria de la Cruz, fecha de nacimiento 25/12/1979, mexicana', { name: 'Maria de la Cruz', birthDate: '1979-12-25', country: 'Mexico' }],
    ['it was at his job in Elizabeth, his A number is A 123-456-789', { place: 'job in Elizabeth', aNumber: '123456789' }],
    ['lo agarraron afuera del trabajo en Newark ayer', { place: 'trabajo en Newark', when: 'ayer' }],
    ['they took him outside the Home Depot on Route 9 this morning', { place: 'Home Depot', when: 'this morning' }],
    ['ICE took my husband an hour ago', { relation: 'husband', when: 'an hour ago' }],
    ['la migra se llevo a mi esposo hace una hora', { relation: 'esposo', when: 'hace una hora' }],
    ['A# 098765432', { aNumber: '098765432' }],
    // A name written with capitals right after the relative; lower-case words after it are not a name.
    ['they took my husband Carlos Mejia, born 1988-03-02 in Honduras', { relation: 'husband', name: 'Carlos Mejia', birthDate: '1988-03-02', country: 'Honduras' }],
    ['se llevaron a mi esposo, José Luis de la Cruz, hoy', { relation: 'esposo', name: 'José Luis de la Cruz', when: 'hoy' }],
    ['they took my husband this morning', { relation: 'husband', when: 'this morning' }],
    ['ICE has my Dad', { relation: 'dad' }],
  ])('"%s"', (text, expected) => {
    expect(extractDetails(text)).toEqual(expected);
  });

  it('reads nothing from a message with no details', () => {
    expect(extractDetails('ok gracias')).toEqual({});
    expect(extractDetails('what happens now?')).toEqual({});
  });
});

describe('each reader', () => {
  it.each([
    ['3/2/1988 dob', '3/2/1988'], // March 2 or 3 February: kept as written for staff
    ['born 13/2/1988', '1988-02-13'],
    ['dob 1988-03-02', '1988-03-02'],
    ['nacio el 31 de febrero de 1990', undefined], // no such day
    ['my phone is 3/2 tomorrow', undefined],
  ])('birth date in "%s"', (text, expected) => expect(findBirthDate(text)).toBe(expected));

  it.each([
    ['A-123-456-789', '123456789'],
    ['numero A 12345678', '12345678'],
    ['su número A es 123456789', '123456789'],
    ['his A number is A-098-765-432', '098765432'],
    ['call me at 555-123-4567', undefined],
    ['A 12345', undefined],
  ])('A-number in "%s"', (text, expected) => expect(findANumber(text)).toBe(expected));

  it.each([
    ['es de honduras', 'Honduras'],
    ['salvadoreño', 'El Salvador'],
    ['he is from china', 'China'],
    ['we ate at a china restaurant', undefined], // a common word is a country only after "from"/"de"
    ['in new jersey', undefined],
  ])('country in "%s"', (text, expected) => expect(findCountry(text)).toBe(expected));

  it.each([
    ['his name is carlos mejia', 'Carlos Mejia'],
    ['se llama Luis', 'Luis'],
    ['name: de la cruz', undefined],
    ['my name is', undefined],
  ])('name in "%s"', (text, expected) => expect(findName(text)).toBe(expected));

  it.each([
    ['at the courthouse in Newark', 'courthouse in Newark'],
    ['en la casa de mi mama', 'casa de mi mama'],
    ['in the morning', undefined],
    ['en Nueva York', 'Nueva York'],
    ['ICE lo agarro esta mañana en newark', 'Newark'],
    ['picked up in jersey city this morning', 'Jersey City'],
    ['lo detuvieron en el bronx', 'Bronx'],
    ['in the bronx', 'Bronx'],
    ['en elizabethtown gas', undefined],
    // A country or a date before the place is passed over, not taken for it.
    ['nació el 3 de mayo de 1985 en Guatemala, lo detuvieron en Elizabeth NJ', 'Elizabeth NJ'],
    ['born in Mexico, picked up at his job in Newark', 'job in Newark'],
  ])('place in "%s"', (text, expected) => expect(findPlace(text)).toBe(expected));

  it.each([
    ['ayer a las 6 am', 'ayer a las 6 am'],
    ['last night', 'last night'],
    ['hace un rato', 'hace un rato'],
    ['nothing here', undefined],
  ])('time in "%s"', (text, expected) => expect(findWhen(text)).toBe(expected));
});

describe('merging', () => {
  it('adds what is new, corrects what changed, and says what is still missing in order', () => {
    const known = { name: 'Carlos Mejia', country: 'Honduras' };
    expect(addedDetails(known, { name: 'Carlos Mejia', place: 'Elizabeth' })).toEqual({ place: 'Elizabeth' });
    // The person detained is named once; a relative mentioned later does not replace them.
    expect(addedDetails({ relation: 'husband' }, { relation: 'cousin', country: 'Peru' })).toEqual({ country: 'Peru' });
    expect(addedDetails({ name: 'Ana' }, { relation: 'cousin' })).toEqual({ relation: 'cousin' });
    expect(mergeDetails(known, { country: 'Guatemala' })).toEqual({ name: 'Carlos Mejia', country: 'Guatemala' });
    expect(missingFields(known)).toEqual(['birthDate', 'place', 'when', 'aNumber']);
    expect(missingFields(undefined)).toEqual(['name', 'birthDate', 'country', 'place', 'when', 'aNumber']);
  });
});
